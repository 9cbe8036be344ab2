// Constitutional Hash: cdd01ef066bc6cf2

using HdrHistogram;

namespace Acgs.LoadTest.Stats;

/// <summary>Final stats of one named step: counts, status codes and its own latency (step start to end).</summary>
public sealed class StepStats
{
    /// <summary>The step's name.</summary>
    public required string Name { get; init; }

    /// <summary>Successful invocations.</summary>
    public required long Ok { get; init; }

    /// <summary>Failed invocations.</summary>
    public required long Fail { get; init; }

    /// <summary>Status code → count.</summary>
    public required IReadOnlyDictionary<int, long> StatusCodes { get; init; }

    /// <summary>Step latency, nanoseconds.</summary>
    public required HistogramBase Latency { get; init; }
}
