// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;

namespace Acgs.ControlPlane.Tests.Injection;

/// <summary>Runs <c>kubectl kustomize</c> (no cluster needed).</summary>
internal static class Kubectl
{
    public static string? Path { get; } = Find();

    /// <summary>The rendered YAML of the kustomization in <paramref name="directory"/>.</summary>
    public static string Kustomize(string directory)
    {
        var start = new ProcessStartInfo(Path ?? "kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(directory);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "kubectl kustomize did not finish in 60 s");
        Assert.True(process.ExitCode == 0, "kubectl kustomize " + directory + " failed: " + stderr.Result);
        return stdout.Result;
    }

    private static string? Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(System.IO.Path.PathSeparator))
        {
            var candidate = System.IO.Path.Combine(dir, "kubectl");
            if (dir.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
