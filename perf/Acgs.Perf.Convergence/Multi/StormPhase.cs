// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Acgs.Perf.Convergence.Multi;

/// <summary>
/// One phase of <see cref="StormBenchmark"/>: its length, the replica's peak RSS (of the process it ends with), the CPU it used (summed over the
/// process ids it had: a restart changes it), the average cores over the phase and the busiest 500 ms.
/// </summary>
internal sealed record StormPhase(double Seconds, long RssPeakBytes, double CpuMs, double WallSeconds, double CpuPeakCores)
{
    /// <summary>Samples the process <paramref name="pid"/> names (it may change) every 50 ms until cancelled.</summary>
    public static async Task<StormPhase> SampleAsync(Func<int> pid, CancellationToken stop)
    {
        var started = Stopwatch.GetTimestamp();
        var cpuByPid = new Dictionary<int, (TimeSpan First, TimeSpan Last)>();
        var peakByPid = new Dictionary<int, long>();
        var last = 0;
        double total = 0, busiest = 0;
        var window = new Queue<(long At, double CpuMs)>();
        while (true)
        {
            var id = pid();
            if (id != 0)
            {
                var cpu = ProcStat.Cpu(id);
                peakByPid[id] = Math.Max(peakByPid.GetValueOrDefault(id), ProcStat.Rss(id));
                last = id;
                if (cpu > TimeSpan.Zero)
                {
                    // A process first seen here started during the phase (a restart): all of its CPU belongs to the phase.
                    cpuByPid[id] = cpuByPid.TryGetValue(id, out var seen) ? (seen.First, cpu) : (cpuByPid.Count == 0 ? cpu : TimeSpan.Zero, cpu);
                }

                total = cpuByPid.Values.Sum(v => (v.Last - v.First).TotalMilliseconds);
                var now = Stopwatch.GetTimestamp();
                window.Enqueue((now, total));
                while (Stopwatch.GetElapsedTime(window.Peek().At, now) > TimeSpan.FromMilliseconds(500))
                {
                    window.Dequeue();
                }

                var span = Stopwatch.GetElapsedTime(window.Peek().At, now).TotalSeconds;
                busiest = span >= 0.4 ? Math.Max(busiest, (total - window.Peek().CpuMs) / 1000 / span) : busiest;
            }

            if (stop.IsCancellationRequested)
            {
                break;
            }

            try
            {
                await Task.Delay(50, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // one last sample above
            }
        }

        // The peak of the process at the end of the phase: after a restart, the new one's (the killed one's steady RSS is not the storm's).
        return new StormPhase(0, peakByPid.GetValueOrDefault(last), total, Stopwatch.GetElapsedTime(started).TotalSeconds, busiest);
    }

    public JsonObject ToJson(string what) => new()
    {
        ["what"] = what,
        ["seconds"] = Seconds,
        ["rss_peak_bytes"] = RssPeakBytes,
        ["cpu_ms"] = CpuMs,
        ["cpu_cores"] = WallSeconds > 0 ? CpuMs / 1000 / WallSeconds : 0,
        ["cpu_peak_cores"] = CpuPeakCores,
    };
}
