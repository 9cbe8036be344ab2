// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Globalization;

namespace Acgs.Perf.Convergence.Multi;

/// <summary>
/// The child side of the multi-process mode (<c>--watcher-process</c>): <c>--count</c> simulated sidecars, global indexes
/// from <c>--first</c>, spread over the replicas in <c>--targets</c> (each service's watchers split across them), each
/// ACKing to the replica it watches. Talks to the benchmark over stdin/stdout, one line per message (<see cref="MultiLab"/>):
/// <c>ready N BYTES</c> once every watcher ACKed its first snapshot; <c>wait F</c> → <c>acked F LASTACK LASTLINE WORK JITMS</c> (JITMS: milliseconds this process spent JIT-compiling since its previous answer)
/// (Stopwatch timestamps: CLOCK_MONOTONIC, comparable across processes on one machine); <c>mark</c> → <c>marked</c>;
/// <c>drop</c> → <c>dropped</c> (every stream ended at once, reconnecting without delay); <c>rejoined</c> → <c>rejoined LASTACK</c>
/// once every watcher ACKed a snapshot on a stream opened after the mark. stdin closed: exit.
/// </summary>
internal static class WatcherProcess
{
    private const int ConnectBatch = 250;

    public static async Task<int> RunAsync(BenchArguments args)
    {
        var targets = args.Text("--targets")!.Split(',').Select(t => new Uri(t)).ToArray();
        var first = args.Int("--first", 0);
        var count = args.Int("--count", 1);
        var services = args.Int("--services", 10);
        var fullWork = args.Text("--full-work") is { } f && f != "all" ? int.Parse(f, CultureInfo.InvariantCulture) : int.MaxValue;
        var clients = new List<HttpClient>();
        var watch = new HttpClient[targets.Length];
        var acks = new HttpClient[targets.Length];
        for (var r = 0; r < targets.Length; r++)
        {
            // Two long-lived requests per watcher: the watch stream and the ACK stream.
            watch[r] = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 2 * count + 8, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(30) }) { BaseAddress = targets[r], Timeout = Timeout.InfiniteTimeSpan };
            acks[r] = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Math.Clamp(count / targets.Length, 1, 1000), PooledConnectionIdleTimeout = TimeSpan.FromMinutes(30) }) { BaseAddress = targets[r], Timeout = TimeSpan.FromSeconds(60) };
            clients.Add(watch[r]);
            clients.Add(acks[r]);
        }

        using var stop = new CancellationTokenSource();
        var sidecars = new List<SimulatedSidecar>(count);
        var runs = new List<Task>(count);
        for (var i = first; i < first + count; i++)
        {
            var replica = i / services % targets.Length;
            var sidecar = new SimulatedSidecar(watch[replica], acks[replica], "svc-" + (i % services).ToString(CultureInfo.InvariantCulture), "node-" + i.ToString(CultureInfo.InvariantCulture), 20000 + i, fullWork: i < fullWork);
            sidecars.Add(sidecar);
            runs.Add(sidecar.RunAsync(stop.Token));
            if (sidecars.Count % ConnectBatch == 0)
            {
                // Paced so the replicas' accept queues are not flooded while the mesh is built (a storm is measured separately).
                await WaitAsync(sidecars.Count, i => sidecars[i].Generation > 0, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            }
        }

        await WaitAsync(count, i => sidecars[i].Ready, TimeSpan.FromSeconds(600)).ConfigureAwait(false);
        Reply($"ready {count} {sidecars.Max(s => s.LineBytes)}");
        var marks = new int[count];
        var jitSeen = System.Runtime.JitInfo.GetCompilationTime();
        while (await Console.In.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            var words = line.Split(' ');
            switch (words[0])
            {
                case "wait":
                    var failMax = int.Parse(words[1], CultureInfo.InvariantCulture);
                    await WaitAsync(count, i => sidecars[i].TryGetTiming(failMax, out _), TimeSpan.FromSeconds(300)).ConfigureAwait(false);
                    long lastAck = 0, lastLine = 0, work = 0;
                    for (var i = 0; i < count; i++)
                    {
                        sidecars[i].TryGetTiming(failMax, out var timing);
                        lastAck = Math.Max(lastAck, timing.Acked);
                        lastLine = Math.Max(lastLine, timing.Received);
                        work = first + i < fullWork ? Math.Max(work, timing.ProcessingTicks) : work;
                    }

                    var jit = System.Runtime.JitInfo.GetCompilationTime();
                    Reply(string.Create(CultureInfo.InvariantCulture, $"acked {failMax} {lastAck} {lastLine} {work} {(jit - jitSeen).TotalMilliseconds:F3}"));
                    jitSeen = jit;
                    break;
                case "mark":
                    for (var i = 0; i < count; i++)
                    {
                        marks[i] = sidecars[i].Generation;
                    }

                    Reply("marked");
                    break;
                case "drop":
                    foreach (var sidecar in sidecars)
                    {
                        sidecar.Drop();
                    }

                    Reply("dropped");
                    break;
                case "rejoined":
                    await WaitAsync(count, i => sidecars[i].LastAckedStream.Generation > marks[i], TimeSpan.FromSeconds(300)).ConfigureAwait(false);
                    Reply($"rejoined {sidecars.Max(s => s.LastAckedStream.FirstAck)}");
                    break;
                default:
                    Reply("unknown " + words[0]);
                    break;
            }
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAny(Task.WhenAll(runs), Task.Delay(2000)).ConfigureAwait(false);
        clients.ForEach(c => c.Dispose());
        return 0;
    }

    private static void Reply(string line)
    {
        Console.Out.WriteLine(line);
        Console.Out.Flush();
    }

    /// <summary>Waits until <paramref name="done"/> holds for indexes 0..count-1, re-checking only from the first that did not.</summary>
    private static async Task WaitAsync(int count, Func<int, bool> done, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        var next = 0;
        while (true)
        {
            while (next < count && done(next))
            {
                next++;
            }

            if (next == count)
            {
                return;
            }

            if (Stopwatch.GetElapsedTime(started) > timeout)
            {
                Reply("timeout");
                throw new TimeoutException("watchers did not get there within " + timeout);
            }

            await Task.Delay(5).ConfigureAwait(false);
        }
    }
}
