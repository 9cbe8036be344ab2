// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using HdrHistogram;

namespace Acgs.Sidecar.Telemetry;

/// <summary>
/// In-process latency histograms for the perf gate (docs/performance.md): the sidecar's own added
/// latency (downstream time − upstream time, Envoy's <c>downstream_rq_time − upstream_rq_time</c>)
/// and the full downstream time, in microseconds. HdrHistogram, 3 significant digits, 1 µs – 60 s;
/// recording is lock-free and allocation-free. <see cref="Reset"/> swaps in fresh histograms.
/// </summary>
internal sealed class LatencyStats
{
    private const long Highest = 60_000_000;
    private static readonly double TicksToMicroseconds = 1_000_000.0 / Stopwatch.Frequency;
    private Pair _current = new();

    /// <summary>Records one proxied request from <see cref="Stopwatch"/> tick durations.</summary>
    public void Record(long addedTicks, long totalTicks)
    {
        var pair = Volatile.Read(ref _current);
        pair.Added.RecordValue(ToMicroseconds(addedTicks));
        pair.Total.RecordValue(ToMicroseconds(totalTicks));
    }

    /// <summary>Starts over with empty histograms.</summary>
    public void Reset() => Volatile.Write(ref _current, new Pair());

    /// <summary>Percentiles of the added and the downstream latency.</summary>
    public LatencyReport Report()
    {
        var pair = Volatile.Read(ref _current);
        return new LatencyReport(Summarize(pair.Added), Summarize(pair.Total));
    }

    private static long ToMicroseconds(long ticks)
    {
        var us = (long)(ticks * TicksToMicroseconds);
        return us < 0 ? 0 : Math.Min(us, Highest);
    }

    private static LatencySummary Summarize(LongConcurrentHistogram histogram)
    {
        var copy = histogram.Copy();
        var count = copy.TotalCount;
        if (count == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0, 0);
        }

        return new LatencySummary(
            count,
            copy.GetValueAtPercentile(50),
            copy.GetValueAtPercentile(90),
            copy.GetValueAtPercentile(99),
            copy.GetValueAtPercentile(99.9),
            copy.GetMaxValue());
    }

    private sealed class Pair
    {
        public LongConcurrentHistogram Added { get; } = new(1, Highest, 3);

        public LongConcurrentHistogram Total { get; } = new(1, Highest, 3);
    }
}
