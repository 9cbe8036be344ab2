// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.LoadTest.Stats;

namespace Acgs.LoadTest.Thresholds;

/// <summary>A check over the final stats. <see cref="Actual"/> renders the observed value for reports.</summary>
public sealed record Threshold(string Description, Func<ScenarioStats, bool> Check, Func<ScenarioStats, string> Actual)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Corrected latency at <paramref name="percentile"/> strictly below <paramref name="limit"/>.</summary>
    public static Threshold LatencyBelow(double percentile, TimeSpan limit) => new(
        string.Create(Inv, $"latency p{percentile} < {limit.TotalMilliseconds} ms"),
        s => s.LatencyMs(percentile) < limit.TotalMilliseconds,
        s => string.Create(Inv, $"{s.LatencyMs(percentile):0.###} ms"));

    /// <summary>Maximum corrected latency strictly below <paramref name="limit"/>.</summary>
    public static Threshold MaxLatencyBelow(TimeSpan limit) => new(
        string.Create(Inv, $"latency max < {limit.TotalMilliseconds} ms"),
        s => Histograms.MaxMs(s.Latency) < limit.TotalMilliseconds,
        s => string.Create(Inv, $"{Histograms.MaxMs(s.Latency):0.###} ms"));

    /// <summary>Achieved rate at least <paramref name="rate"/> requests/s.</summary>
    public static Threshold RpsAtLeast(double rate) => new(
        string.Create(Inv, $"rps >= {rate}"),
        s => s.AchievedRate >= rate,
        s => string.Create(Inv, $"{s.AchievedRate:0.#}"));

    /// <summary>Achieved rate at least <paramref name="ratio"/> of the open model's target.</summary>
    public static Threshold AchievedAtLeastOfTarget(double ratio) => new(
        string.Create(Inv, $"achieved rate >= {ratio:P0} of target"),
        s => s.AchievedRate >= ratio * s.TargetRate,
        s => string.Create(Inv, $"{s.AchievedRate:0.#} of {s.TargetRate:0.#}"));

    /// <summary>Failed share at most <paramref name="percent"/> percent.</summary>
    public static Threshold FailPercentAtMost(double percent) => new(
        string.Create(Inv, $"fail % <= {percent}"),
        s => s.FailPercent <= percent,
        s => string.Create(Inv, $"{s.FailPercent:0.###} % ({s.Fail})"));

    /// <summary>Every response had this status code.</summary>
    public static Threshold AllStatus(int statusCode) => new(
        string.Create(Inv, $"all responses {statusCode}"),
        s => s.StatusCodes.Count == 1 && s.StatusCodes.ContainsKey(statusCode),
        s => string.Join(' ', s.StatusCodes.Select(kv => string.Create(Inv, $"{kv.Key}:{kv.Value}"))));

    /// <summary>A custom check.</summary>
    public static Threshold Create(string description, Func<ScenarioStats, bool> check) => new(description, check, _ => "");
}
