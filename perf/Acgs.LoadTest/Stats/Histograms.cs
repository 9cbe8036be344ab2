// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using HdrHistogram;

namespace Acgs.LoadTest.Stats;

/// <summary>Histogram conventions: values are nanoseconds, 1 ns to 100 s, 3 significant digits.</summary>
public static class Histograms
{
    /// <summary>Highest trackable value (100 s in nanoseconds); larger values are clamped.</summary>
    public const long HighestTrackableNs = 100_000_000_000;

    private static readonly double NsPerTick = 1_000_000_000.0 / Stopwatch.Frequency;

    /// <summary>Creates a recorder of nanosecond values that many threads may record into at once: its
    /// histograms count with atomic adds (a recorder over a plain histogram loses counts under concurrent writers).</summary>
    public static Recorder CreateRecorder() =>
        new(1, HighestTrackableNs, 3, static (id, low, high, digits) => new LongConcurrentHistogram(id, low, high, digits));

    /// <summary>Creates an empty single-threaded histogram of nanosecond values.</summary>
    public static LongHistogram CreateHistogram() => new(1, HighestTrackableNs, 3);

    /// <summary>Converts a Stopwatch tick delta to nanoseconds, clamped to [0, highest].</summary>
    public static long TicksToNs(long ticks)
    {
        if (ticks <= 0)
        {
            return 0;
        }

        var ns = (long)(ticks * NsPerTick);
        return ns > HighestTrackableNs ? HighestTrackableNs : ns;
    }

    /// <summary>Value at a percentile, in milliseconds (0 for an empty histogram).</summary>
    public static double PercentileMs(HistogramBase histogram, double percentile)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        return histogram.TotalCount == 0 ? 0 : histogram.GetValueAtPercentile(percentile) / 1e6;
    }

    /// <summary>Maximum value in milliseconds (0 for an empty histogram).</summary>
    public static double MaxMs(HistogramBase histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        return histogram.TotalCount == 0 ? 0 : histogram.GetMaxValue() / 1e6;
    }

    /// <summary>Mean in milliseconds (0 for an empty histogram).</summary>
    public static double MeanMs(HistogramBase histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        return histogram.TotalCount == 0 ? 0 : histogram.GetMean() / 1e6;
    }
}
