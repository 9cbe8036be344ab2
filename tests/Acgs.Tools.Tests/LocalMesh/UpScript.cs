// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Acgs.Tools.Tests.HashCompliance;

namespace Acgs.Tools.Tests.LocalMesh;

/// <summary>Runs <c>./acgs up ARGS</c> as a real process (bash) from the repository root.</summary>
internal static class UpScript
{
    /// <summary>The configuration whose binaries <c>./acgs up</c> starts (<c>ACGS_CONFIGURATION</c>, default Release).</summary>
    public static string Configuration => Environment.GetEnvironmentVariable("ACGS_CONFIGURATION") is { Length: > 0 } c ? c : "Release";

    /// <summary>True when the control plane, sidecar and demo app binaries exist (then <c>--no-build</c> skips the build).</summary>
    public static bool BinariesExist()
    {
        var bin = Path.Combine("bin", Configuration, "net10.0");
        return File.Exists(Path.Combine(RepositoryRoot.Path, "controlplane", "Acgs.ControlPlane", bin, "Acgs.ControlPlane.dll"))
            && File.Exists(Path.Combine(RepositoryRoot.Path, "dataplane", "Acgs.Sidecar", bin, "Acgs.Sidecar.dll"))
            && File.Exists(Path.Combine(RepositoryRoot.Path, "deploy", "local", "Acgs.DemoApp", bin, "Acgs.DemoApp.dll"));
    }

    /// <summary>Runs the script; kills the whole process tree and throws after <paramref name="timeout"/>.</summary>
    public static ScriptResult Run(TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot.Path,
        };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot.Path, "acgs"));
        start.ArgumentList.Add("up");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("REDIS_URL");
        start.Environment.Remove("ACGS_UP_PORT_OFFSET");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"./acgs up {string.Join(' ', arguments)} did not finish in {timeout}:\n{stdout.GetAwaiter().GetResult()}{stderr.GetAwaiter().GetResult()}");
        }

        return new ScriptResult(process.ExitCode, stdout.GetAwaiter().GetResult() + stderr.GetAwaiter().GetResult());
    }
}
