// Constitutional Hash: cdd01ef066bc6cf2

using System.Numerics;

namespace Acgs.Sidecar.Telemetry;

/// <summary>
/// Fixed log-linear latency buckets in microseconds, HdrHistogram-like: 0–7 µs one bucket each, then 8 buckets per power of
/// two (a bucket spans at most 12.5 % of its values) up to 2^27 µs (134 s; longer values land in the last bucket):
/// <see cref="Count"/> buckets. Finding a bucket is a Log2 and two shifts; percentiles are read as the bucket's upper bound.
/// </summary>
internal static class LatencyBuckets
{
    /// <summary>Buckets.</summary>
    public const int Count = 200;

    private const int SubBuckets = 8;
    private const int SubBits = 3;
    private const long Highest = (1L << 27) - 1;

    /// <summary>The bucket of <paramref name="microseconds"/> (negative counts as 0).</summary>
    public static int IndexOf(long microseconds)
    {
        if (microseconds < SubBuckets)
        {
            return microseconds < 0 ? 0 : (int)microseconds;
        }

        var value = microseconds > Highest ? Highest : microseconds;
        var exponent = BitOperations.Log2((ulong)value); // >= 3
        var sub = (int)(value >> (exponent - SubBits)) & (SubBuckets - 1);
        return SubBuckets + ((exponent - SubBits) * SubBuckets) + sub;
    }

    /// <summary>The largest value of bucket <paramref name="index"/>, in microseconds.</summary>
    public static long UpperBound(int index)
    {
        if (index < SubBuckets)
        {
            return index;
        }

        var shift = (index - SubBuckets) / SubBuckets;
        var sub = (index - SubBuckets) % SubBuckets;
        return ((long)(SubBuckets + sub + 1) << shift) - 1;
    }

    /// <summary>
    /// The value at <paramref name="percentile"/> (0–100) of the counts <paramref name="buckets"/> holding <paramref name="total"/>
    /// values, in milliseconds (the upper bound of the bucket it falls in); 0 when empty.
    /// </summary>
    public static double PercentileMs(ReadOnlySpan<long> buckets, long total, double percentile)
    {
        if (total <= 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(total * percentile / 100.0));
        long seen = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            seen += buckets[i];
            if (seen >= rank)
            {
                return UpperBound(i) / 1000.0;
            }
        }

        return UpperBound(buckets.Length - 1) / 1000.0;
    }
}
