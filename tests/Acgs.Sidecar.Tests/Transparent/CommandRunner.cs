// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;

namespace Acgs.Sidecar.Tests.Transparent;

/// <summary>Runs a command to completion and returns its exit code and output.</summary>
internal static class CommandRunner
{
    /// <summary>Runs <paramref name="file"/> with <paramref name="arguments"/> (no shell), waiting at most 30 s.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + file);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs the command and throws, with its output, unless it exits 0.</summary>
    public static async Task<string> RunCheckedAsync(string file, params string[] arguments)
    {
        var (code, stdout, stderr) = await RunAsync(file, arguments);
        if (code != 0)
        {
            throw new InvalidOperationException($"'{file} {string.Join(' ', arguments)}' exited {code}: {stderr}{stdout}");
        }

        return stdout;
    }
}
