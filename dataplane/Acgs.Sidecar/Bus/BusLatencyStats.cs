// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using HdrHistogram;

namespace Acgs.Sidecar.Bus;

/// <summary>
/// The sidecar's own per-message latency (frame read → written to the recipient's connection) in an
/// HDR histogram, for the perf runs; thread-safe and allocation-free when recording.
/// </summary>
public sealed class BusLatencyStats
{
    private const long HighestNanoseconds = 60_000_000_000;
    private readonly LongConcurrentHistogram _histogram = new(1, HighestNanoseconds, 3);
    private static readonly double NanosecondsPerTick = 1_000_000_000.0 / Stopwatch.Frequency;

    /// <summary>Records a latency given in <see cref="Stopwatch"/> ticks.</summary>
    public void RecordTicks(long ticks)
    {
        var ns = (long)(ticks * NanosecondsPerTick);
        _histogram.RecordValue(Math.Clamp(ns, 1, HighestNanoseconds));
    }

    /// <summary>Messages recorded.</summary>
    public long Count => _histogram.TotalCount;

    /// <summary>The latency at <paramref name="percentile"/> (0–100) in microseconds.</summary>
    public double PercentileMicroseconds(double percentile) => _histogram.GetValueAtPercentile(percentile) / 1000.0;

    /// <summary>Forgets everything recorded (between warm-up and measurement).</summary>
    public void Reset() => _histogram.Reset();
}
