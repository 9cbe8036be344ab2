// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Threading.Channels;

namespace Acgs.Perf.Convergence.Multi;

/// <summary>
/// A child process of the multi-process mode, started through <c>/bin/sh</c> so its open-file limit is raised to the hard
/// limit first (<c>ulimit -n</c>, where allowed), and pinned to a CPU list through <c>taskset -c</c> when one is given. Its stderr (and stdout, unless read as lines) goes to a log file; it and
/// its children are killed on dispose.
/// </summary>
internal sealed class Child : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Channel<string>? _lines;

    private Child(Process process, StreamWriter log, Channel<string>? lines)
    {
        _process = process;
        _log = log;
        _lines = lines;
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="file"/>; with <paramref name="readLines"/> its stdout is kept for <see cref="ReadLineAsync"/>;
    /// with <paramref name="cpus"/> it (and every thread it starts) runs on those CPUs only.</summary>
    public static Child Start(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string logPath, bool readLines = false,
        IReadOnlyList<int>? cpus = null)
    {
        if (cpus is not null)
        {
            arguments = ["-c", CpuList.Format(cpus), file, .. arguments];
            file = CpuList.Taskset() ?? throw new InvalidOperationException("taskset was not found (util-linux)");
        }

        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = readLines,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-c", "ulimit -n \"$(ulimit -Hn)\" 2>/dev/null; exec \"$0\" \"$@\"", file, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var log = new StreamWriter(logPath) { AutoFlush = true };
        var lines = readLines ? Channel.CreateUnbounded<string>() : null;
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                lines?.Writer.TryComplete();
            }
            else if (lines is not null)
            {
                lines.Writer.TryWrite(e.Data);
            }
            else
            {
                Write(log, e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new Child(process, log, lines);
    }

    /// <summary>Writes one line to the child's stdin.</summary>
    public async Task SendAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>The child's next stdout line; throws when it ends first or <paramref name="timeout"/> passes.</summary>
    public async Task<string> ReadLineAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            return await _lines!.Reader.ReadAsync(cancel.Token).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException("the watcher process ended; see its log");
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("no answer from the watcher process within " + timeout);
        }
    }

    /// <summary>SIGKILL (no shutdown work), waiting until the process is gone.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // the process outlived its log by a few lines
            }
        }
    }
}
