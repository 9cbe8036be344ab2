// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;

namespace Acgs.Sidecar.Telemetry;

/// <summary>
/// The cumulative golden metrics of one edge (<see cref="GoldenEdges"/>): a fixed array of latency bucket counts
/// (<see cref="LatencyBuckets"/>; their sum is the request count) and a 5xx count. <see cref="Record"/> is two uncontended
/// interlocked increments at most: no lock, no allocation. The window arrays are only touched by the health reporter.
/// </summary>
internal sealed class EdgeStats
{
    /// <summary>Index of the error count after the buckets.</summary>
    public const int ErrorsIndex = LatencyBuckets.Count;

    private static readonly double TicksToMicroseconds = 1_000_000.0 / Stopwatch.Frequency;
    private readonly long[] _counts = new long[LatencyBuckets.Count + 1];

    /// <summary>Creates the counters of the edge <paramref name="direction"/> <paramref name="peer"/>.</summary>
    public EdgeStats(string direction, string peer)
    {
        Direction = direction;
        Peer = peer;
    }

    /// <summary><c>inbound</c> or <c>outbound</c>.</summary>
    public string Direction { get; }

    /// <summary>The caller (inbound) or the upstream cluster (outbound).</summary>
    public string Peer { get; }

    /// <summary>The counts at the last accepted report (the health reporter's).</summary>
    internal long[] Baseline { get; } = new long[LatencyBuckets.Count + 1];

    /// <summary>The counts read for the report being sent (the health reporter's).</summary>
    internal long[] Pending { get; } = new long[LatencyBuckets.Count + 1];

    /// <summary>Counts one request answered with <paramref name="statusCode"/> after <paramref name="durationTicks"/> Stopwatch ticks.</summary>
    public void Record(int statusCode, long durationTicks)
    {
        Interlocked.Increment(ref _counts[LatencyBuckets.IndexOf((long)(durationTicks * TicksToMicroseconds))]);
        if (statusCode >= 500)
        {
            Interlocked.Increment(ref _counts[ErrorsIndex]);
        }
    }

    /// <summary>Reads the cumulative counts into <see cref="Pending"/>.</summary>
    internal void ReadPending()
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            Pending[i] = Volatile.Read(ref _counts[i]);
        }
    }

    /// <summary>Requests so far (the sum of the buckets).</summary>
    public long Requests
    {
        get
        {
            long sum = 0;
            for (var i = 0; i < LatencyBuckets.Count; i++)
            {
                sum += Volatile.Read(ref _counts[i]);
            }

            return sum;
        }
    }

    /// <summary>5xx answers so far.</summary>
    public long Errors => Volatile.Read(ref _counts[ErrorsIndex]);
}
