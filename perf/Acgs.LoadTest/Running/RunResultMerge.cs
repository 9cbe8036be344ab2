// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.LoadTest.Stats;
using Acgs.LoadTest.Thresholds;

namespace Acgs.LoadTest.Running;

/// <summary>Combines the results of several runs of one scenario (slices of a measurement) into one
/// result: stats merged with <see cref="ScenarioStatsMerge"/>, thresholds evaluated again over the
/// merged stats, and the merged result invalid when any slice was invalid — an invalid slice is never
/// averaged away.</summary>
public static class RunResultMerge
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Merges <paramref name="slices"/> (at least one) and evaluates
    /// <paramref name="thresholds"/> over the merged stats.</summary>
    public static RunResult Merge(IReadOnlyList<RunResult> slices, IReadOnlyList<Threshold> thresholds)
    {
        ArgumentNullException.ThrowIfNull(slices);
        ArgumentNullException.ThrowIfNull(thresholds);
        if (slices.Count == 0)
        {
            throw new ArgumentException("nothing to merge", nameof(slices));
        }

        var invalid = new List<string>();
        var stats = new List<ScenarioStats>(slices.Count);
        for (var i = 0; i < slices.Count; i++)
        {
            var slice = slices[i];
            ArgumentNullException.ThrowIfNull(slice);
            foreach (var reason in slice.InvalidReasons)
            {
                invalid.Add(slices.Count == 1 ? reason : string.Create(Inv, $"slice {i + 1} of {slices.Count}: {reason}"));
            }

            if (slice.Stats is { } s)
            {
                stats.Add(s);
            }
            else if (slice.InvalidReasons.Count == 0)
            {
                invalid.Add(string.Create(Inv, $"slice {i + 1} of {slices.Count}: no stats"));
            }
        }

        if (stats.Count == 0)
        {
            return new RunResult { InvalidReasons = invalid };
        }

        var merged = ScenarioStatsMerge.Merge(stats);
        return new RunResult { Stats = merged, Thresholds = ScenarioRunner.Evaluate(thresholds, merged), InvalidReasons = invalid };
    }
}
