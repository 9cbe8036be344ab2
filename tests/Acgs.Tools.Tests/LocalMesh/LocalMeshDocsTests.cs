// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Acgs.Tools.Tests.HashCompliance;

namespace Acgs.Tools.Tests.LocalMesh;

/// <summary>
/// Every <c>curl</c> command of docs/local-mesh.md ("Try it") run against a real <c>./acgs up</c> by
/// <c>deploy/ci/check-local-mesh-docs.sh</c>, so the documented commands and answers cannot drift from the mesh.
/// Runs on ports offset by 3000 (<see cref="UpCheckTests"/> uses 2000) and in the same collection as it, so
/// the two meshes never start at the same time.
/// </summary>
[Collection(LocalMeshGroup.Name)]
public sealed class LocalMeshDocsTests
{
    private const int Offset = 3000;

    [Fact]
    public void DocsCurls_AgainstFreshMesh_AnswerAsDocumentedAndLeaveNothingRunning()
    {
        var result = Run(
            TimeSpan.FromMinutes(UpScript.BinariesExist() ? 2.5 : 6),
            UpScript.BinariesExist() ? "--no-build" : "--build",
            "--port-offset",
            Offset.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("docs check passed", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL", result.Output, StringComparison.Ordinal);
        Assert.Contains("ok   403  curl -i http://127.0.0.1:15106/", result.Output, StringComparison.Ordinal);
        Assert.Contains("ok   201  curl -s -X POST", result.Output, StringComparison.Ordinal);
    }

    private static ScriptResult Run(TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot.Path,
        };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot.Path, "deploy", "ci", "check-local-mesh-docs.sh"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ACGS_CONFIGURATION"] = UpScript.Configuration;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"check-local-mesh-docs.sh did not finish in {timeout}:\n{stdout.GetAwaiter().GetResult()}{stderr.GetAwaiter().GetResult()}");
        }

        return new ScriptResult(process.ExitCode, stdout.GetAwaiter().GetResult() + stderr.GetAwaiter().GetResult());
    }
}
