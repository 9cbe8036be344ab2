// Constitutional Hash: cdd01ef066bc6cf2

using HdrHistogram;

namespace Acgs.LoadTest.Stats;

/// <summary>Final stats of a scenario's measured phases (warm-up excluded). Histograms hold
/// nanoseconds. <see cref="Latency"/> is measured from each request's intended start
/// (coordinated-omission-correct), <see cref="ServiceTime"/> from when it was actually sent, and
/// <see cref="SchedulerLag"/> is how late the generator dispatched it.</summary>
public sealed class ScenarioStats
{
    /// <summary>Scenario name.</summary>
    public required string Name { get; init; }

    /// <summary>True when every measured phase was an open (arrival-rate) model.</summary>
    public required bool OpenModel { get; init; }

    /// <summary>Length of the measured phases.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Intended rate of the open model (requests/s; 0 for closed).</summary>
    public required double TargetRate { get; init; }

    /// <summary>Requests the open model intended to start (0 for closed).</summary>
    public required long Intended { get; init; }

    /// <summary>Requests the generator dispatched.</summary>
    public required long Dispatched { get; init; }

    /// <summary>Successful requests.</summary>
    public required long Ok { get; init; }

    /// <summary>Failed requests (including transport errors).</summary>
    public required long Fail { get; init; }

    /// <summary>Failed requests that got no response at all.</summary>
    public required long TransportErrors { get; init; }

    /// <summary>Bytes received.</summary>
    public required long Bytes { get; init; }

    /// <summary>Requests that had to wait for a connection (pool at its cap).</summary>
    public required long PoolWaits { get; init; }

    /// <summary>Rate at which the generator dispatched requests (requests/s).</summary>
    public required double SendRate { get; init; }

    /// <summary>Completed requests per second of the measured time (the system's throughput).</summary>
    public required double AchievedRate { get; init; }

    /// <summary>Status code → count (0 = no response).</summary>
    public required IReadOnlyDictionary<int, long> StatusCodes { get; init; }

    /// <summary>Latency from intended start, nanoseconds.</summary>
    public required HistogramBase Latency { get; init; }

    /// <summary>Latency from actual send, nanoseconds.</summary>
    public required HistogramBase ServiceTime { get; init; }

    /// <summary>Dispatch lag of the generator, nanoseconds.</summary>
    public required HistogramBase SchedulerLag { get; init; }

    /// <summary>Named steps.</summary>
    public required IReadOnlyList<StepStats> Steps { get; init; }

    /// <summary>CPU time of the generator process during the measured phases ÷ requests, microseconds
    /// (the whole process: meaningful when the generator runs in its own process).</summary>
    public required double GeneratorCpuUsPerRequest { get; init; }

    /// <summary>Completed requests.</summary>
    public long Requests => Ok + Fail;

    /// <summary>Failed share in percent.</summary>
    public double FailPercent => Requests == 0 ? 0 : 100.0 * Fail / Requests;

    /// <summary>Corrected latency at a percentile, milliseconds.</summary>
    public double LatencyMs(double percentile) => Histograms.PercentileMs(Latency, percentile);

    /// <summary>Service time at a percentile, milliseconds.</summary>
    public double ServiceMs(double percentile) => Histograms.PercentileMs(ServiceTime, percentile);

    /// <summary>Scheduler lag at a percentile, milliseconds.</summary>
    public double LagMs(double percentile) => Histograms.PercentileMs(SchedulerLag, percentile);
}
