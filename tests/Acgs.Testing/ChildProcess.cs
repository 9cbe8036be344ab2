// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Acgs.Testing;

/// <summary>
/// A long-running child process of a test (a built control plane, Debian's prometheus, ...): started with its stdout
/// and stderr read into <see cref="Output"/> (so a pipe never fills and a failure can show what it said), ended by
/// SIGTERM (<see cref="TerminateAsync"/>) or SIGKILL (<see cref="KillAsync"/>), killed with its tree on dispose.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ChildProcess(Process process)
    {
        _process = process;
    }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="info"/> (its output redirected, no shell) and begins reading its output.</summary>
    public static ChildProcess Start(ProcessStartInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + info.FileName);
        var child = new ChildProcess(process);
        process.OutputDataReceived += child.Append;
        process.ErrorDataReceived += child.Append;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>
    /// Starts the built program <paramref name="assembly"/> of <paramref name="projectDirectory"/> (see
    /// <see cref="BuiltProgram.PathOf"/>) with <paramref name="variables"/> and nothing ACGS-related inherited from the test runner.
    /// </summary>
    public static ChildProcess StartBuilt(string projectDirectory, string assembly, IReadOnlyDictionary<string, string> variables) =>
        Start(BuiltProgram.StartInfo(BuiltProgram.PathOf(projectDirectory, assembly), variables));

    /// <summary>What the process wrote to stdout and stderr so far.</summary>
    public string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    /// <summary>
    /// Sends SIGTERM with kill(2) — no helper process, so a measurement starts at the signal, not at a fork and exec a
    /// loaded machine can delay — and waits at most <paramref name="timeout"/> for the exit; returns the time from the
    /// signal to the exit and the exit code.
    /// </summary>
    public async Task<(TimeSpan Elapsed, int ExitCode)> TerminateAsync(TimeSpan timeout)
    {
        var start = Stopwatch.GetTimestamp();
        if (Kill(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException("kill(SIGTERM) failed: errno " + Marshal.GetLastPInvokeError().ToString(CultureInfo.InvariantCulture));
        }

        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token).ConfigureAwait(false);
        return (Stopwatch.GetElapsedTime(start), _process.ExitCode);
    }

    /// <summary>Kills the process and its children (a crash: SIGKILL) and waits for it to exit.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync().ConfigureAwait(false);
        _process.Dispose();
    }

    private void Append(object sender, DataReceivedEventArgs e)
    {
        lock (_output)
        {
            _output.AppendLine(e.Data);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
