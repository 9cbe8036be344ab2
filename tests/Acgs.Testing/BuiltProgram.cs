// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;

namespace Acgs.Testing;

/// <summary>
/// Runs a built program of the repository (<c>dotnet &lt;project&gt;/bin/&lt;configuration&gt;/net10.0/&lt;name&gt;.dll</c>, the
/// configuration of the running tests) as a child process with a clean ACGS environment and collects its output.
/// </summary>
public static class BuiltProgram
{
    /// <summary>Variables the child never inherits from the test runner (only <c>variables</c> set them).</summary>
    private static readonly string[] InheritedPrefixes = ["ACGS_", "REDIS_", "CONSTITUTIONAL_HASH", "ControlPlane__", "Rollouts__", "OTEL_"];

    /// <summary>The path of <paramref name="assembly"/>'s build output under <paramref name="projectDirectory"/> (e.g. <c>dataplane/Acgs.Sidecar</c>).</summary>
    public static string PathOf(string projectDirectory, string assembly)
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Acgs.sln")))
            {
                var candidate = Path.Combine(dir.FullName, projectDirectory, "bin", configuration, "net10.0", assembly + ".dll");
                return File.Exists(candidate) ? candidate : throw new InvalidOperationException(candidate + " is missing: build " + projectDirectory);
            }
        }

        throw new InvalidOperationException("no Acgs.sln above " + AppContext.BaseDirectory);
    }

    /// <summary>
    /// Runs <paramref name="dll"/> with <paramref name="variables"/> until it exits (at most <paramref name="timeout"/>, then it is
    /// killed and the test fails) and returns its exit code and the lines it wrote to stdout and stderr.
    /// </summary>
    public static async Task<(int ExitCode, IReadOnlyList<string> Stdout, IReadOnlyList<string> Stderr)> RunAsync(
        string dll, IReadOnlyDictionary<string, string> variables, TimeSpan timeout, params string[] args)
    {
        var start = StartInfo(dll, variables, args);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet " + dll);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(dll + " did not exit within " + timeout + ": " + await stderr);
        }

        return (process.ExitCode, Lines(await stdout), Lines(await stderr));
    }

    /// <summary>
    /// How to start <c>dotnet <paramref name="dll"/> <paramref name="args"/></c> with <paramref name="variables"/> set and
    /// no variable with one of the ACGS prefixes (or <c>OTEL_</c>) inherited from the test runner.
    /// </summary>
    public static ProcessStartInfo StartInfo(string dll, IReadOnlyDictionary<string, string> variables, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var start = new ProcessStartInfo("dotnet");
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in start.Environment.Keys.ToList())
        {
            if (InheritedPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)))
            {
                start.Environment.Remove(name);
            }
        }

        foreach (var (name, value) in variables)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(static l => l.TrimEnd('\r')).ToArray();
}
