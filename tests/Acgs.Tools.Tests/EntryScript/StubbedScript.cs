// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Acgs.Tools.Tests.HashCompliance;

namespace Acgs.Tools.Tests.EntryScript;

/// <summary>
/// The repository's <c>./acgs</c> copied alone into a temporary directory whose <c>dotnet</c>, <c>apt-get</c> and
/// <c>podman</c> on PATH are stubs that record being called and fail: a command that would build, publish or install
/// anything leaves a record (and cannot touch the repository, whose <c>Acgs.sln</c> is not beside the copy).
/// </summary>
internal sealed class StubbedScript : IDisposable
{
    private static readonly string[] Stubs = ["dotnet", "apt-get", "podman"];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "acgs-entry-" + Guid.NewGuid().ToString("N"));

    public StubbedScript()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "stubs"));
        File.Copy(Path.Combine(RepositoryRoot.Path, "acgs"), Path.Combine(_directory, "acgs"));
        foreach (var stub in Stubs)
        {
            var path = Path.Combine(_directory, "stubs", stub);
            File.WriteAllText(path, $"#!/bin/sh\necho \"{stub} $*\" >> \"{CallsFile}\"\nexit 1\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
    }

    /// <summary>One line per stub call (<c>dotnet build ...</c>); absent when none was called.</summary>
    public string CallsFile => Path.Combine(_directory, "calls.log");

    /// <summary>What the stubs recorded ("" when nothing was called).</summary>
    public string Calls => File.Exists(CallsFile) ? File.ReadAllText(CallsFile) : "";

    /// <summary>True when the copy created anything but itself, its stubs and the call record (e.g. bin/, perf/results/).</summary>
    public IReadOnlyList<string> Created() =>
        Directory.EnumerateFileSystemEntries(_directory).Select(Path.GetFileName).Where(n => n is not ("acgs" or "stubs" or "calls.log")).Select(n => n!).ToList();

    /// <summary>Runs <c>bash ./acgs ARGS</c> in the copy; kills it and throws after a minute (it should take well under a second).</summary>
    public (int ExitCode, string Stdout, string Stderr) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        start.ArgumentList.Add(Path.Combine(_directory, "acgs"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PATH"] = Path.Combine(_directory, "stubs") + ":" + Environment.GetEnvironmentVariable("PATH");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"./acgs {string.Join(' ', arguments)} still runs after a minute");
        }

        process.WaitForExit();
        return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
