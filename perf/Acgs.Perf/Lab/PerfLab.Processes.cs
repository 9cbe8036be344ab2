// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Net;
using Acgs.LoadTest.Http;

namespace Acgs.Perf.Lab;

/// <summary>The lab's processes and targets: CPU pinning, starting a child (under taskset when pinned), adding a target with its load
/// client, and waiting until a child answers.</summary>
internal sealed partial class PerfLab
{
    // CPU pinning (PerfSettings.Pin): the proxies under test on the last CPU, the generator (this
    // process, every thread) and the backend on CPU 0 — the way nginx and HAProxy run with one worker,
    // and the way a sidecar runs with a one-CPU limit. taskset execs the command, so pids are kept.
    private void PinLoadSide()
    {
        var taskset = FindBinary("taskset");
        if (taskset is null)
        {
            _notes.Add("taskset not installed: not pinned");
            return;
        }

        var psi = new System.Diagnostics.ProcessStartInfo(taskset) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["-a", "-cp", "0", Environment.ProcessId.ToString(CultureInfo.InvariantCulture)])
        {
            psi.ArgumentList.Add(arg);
        }

        using var self = System.Diagnostics.Process.Start(psi)!;
        _ = self.StandardOutput.ReadToEnd();
        _ = self.StandardError.ReadToEnd();
        self.WaitForExit();
        if (self.ExitCode != 0)
        {
            _notes.Add("taskset failed: not pinned");
            return;
        }

        _taskset = taskset;
        _proxyCpu = (Environment.ProcessorCount - 1).ToString(CultureInfo.InvariantCulture);
        _notes.Add($"pinned: proxies on CPU {_proxyCpu}, generator and backend on CPU 0");
    }

    private ChildProcess Start(string name, string file, IEnumerable<string> args, IReadOnlyDictionary<string, string> env, bool inherit = true)
    {
        if (_taskset is not null)
        {
            var cpu = name is "backend" or "controlplane" ? "0" : _proxyCpu;
            args = ["-c", cpu, file, .. args];
            file = _taskset;
        }

        var p = ChildProcess.Start(name, file, args, env, WorkDir, inherit);
        lock (_processes)
        {
            _processes.Add(p);
        }

        return p;
    }

    private void Add(TargetKind kind, string name, Uri uri, ChildProcess? process, bool hashHeader, Uri? adminUri = null, Uri? statsUri = null,
        ChildProcess? peer = null, Uri? peerAdminUri = null, string? host = null)
    {
        var client = new RawHttpClient(new RawHttpClientOptions
        {
            Target = uri,
            Host = host,
            Headers = hashHeader ? [new(HashHeader, Hash)] : [],
            Reuse = _reuse,
        });
        lock (_targets)
        {
            _targets.Add(new Target(kind, name, client, uri, process) { AdminUri = adminUri, StatsUri = statsUri, Peer = peer, PeerAdminUri = peerAdminUri });
        }
    }

    /// <summary>Waits until <paramref name="uri"/> answers 200 (within 45 s unless told), failing at once when <paramref name="process"/> exits.</summary>
    internal static async Task ReadyAsync(ChildProcess process, Uri uri, CancellationToken ct, bool hashHeader = false, string? host = null, TimeSpan? within = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var limit = within ?? TimeSpan.FromSeconds(45);
        var deadline = DateTimeOffset.UtcNow + limit;
        string last = "no attempt";
        while (DateTimeOffset.UtcNow < deadline)
        {
            ct.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.Name} exited during start-up; see {process.LogPath}:\n{Tail(process.LogPath)}");
            }

            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                if (hashHeader)
                {
                    request.Headers.Add(HashHeader, Hash);
                }

                if (host is not null)
                {
                    request.Headers.Host = host;
                }

                using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                last = $"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false)}";
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                last = "timeout";
            }

            await Task.Delay(200, ct).ConfigureAwait(false);
        }

        throw new TimeoutException($"{process.Name} not ready at {uri} within {limit.TotalSeconds:0} s (last: {last}); see {process.LogPath}:\n{Tail(process.LogPath)}");
    }

    private static string Tail(string path)
    {
        try
        {
            var lines = File.ReadAllLines(path);
            return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 15)));
        }
        catch (IOException)
        {
            return "";
        }
    }
}
