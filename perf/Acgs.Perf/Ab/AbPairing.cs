// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Nodes;

namespace Acgs.Perf.Ab;

/// <summary>What both A/B tables compute alike (Ab/AbSummary for single sidecars, Ab/AbHopSummary for the mTLS pairs): a
/// variant's measured slices, each paired with its baseline's slice of the same round and number, the quartiles of those
/// pairings, and figures rounded for the JSON report.</summary>
internal static class AbPairing
{
    /// <summary>The slices of <paramref name="variant"/> that served requests.</summary>
    public static List<AbSlice> Own(IReadOnlyList<AbSlice> slices, string variant)
    {
        ArgumentNullException.ThrowIfNull(slices);
        return slices.Where(s => s.Variant == variant && s.Requests > 0).ToList();
    }

    /// <summary><paramref name="compare"/> of each of <paramref name="own"/> with the <paramref name="baseline"/>'s slice of the same
    /// round and slice number, where both are <paramref name="usable"/>.</summary>
    public static List<double> Paired(List<AbSlice> own, IReadOnlyList<AbSlice> slices, string baseline, Func<AbSlice, bool> usable, Func<AbSlice, AbSlice, double> compare)
    {
        ArgumentNullException.ThrowIfNull(own);
        ArgumentNullException.ThrowIfNull(slices);
        ArgumentNullException.ThrowIfNull(usable);
        ArgumentNullException.ThrowIfNull(compare);
        var paired = new List<double>(own.Count);
        foreach (var s in own)
        {
            if (usable(s) && slices.FirstOrDefault(x => x.Variant == baseline && x.Round == s.Round && x.Slice == s.Slice && usable(x)) is { } other)
            {
                paired.Add(compare(s, other));
            }
        }

        return paired;
    }

    /// <summary>The median, 25th and 75th percentiles of <paramref name="paired"/>, or nulls when there is none.</summary>
    public static (double? Median, double? Low, double? High) Quartiles(IReadOnlyCollection<double> paired)
    {
        ArgumentNullException.ThrowIfNull(paired);
        return paired.Count > 0 ? (Percentile(paired, 50), Percentile(paired, 25), Percentile(paired, 75)) : (null, null, null);
    }

    /// <summary>Nearest-rank-interpolated percentile (linear between the two closest ranks).</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double percentile)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = percentile / 100 * (sorted.Length - 1);
        var lo = (int)Math.Floor(rank);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((sorted[hi] - sorted[lo]) * (rank - lo));
    }

    /// <summary><paramref name="value"/> rounded to <paramref name="digits"/>, or null when it is null or not finite.</summary>
    public static JsonValue? Round(double? value, int digits) =>
        value is { } v && double.IsFinite(v) ? JsonValue.Create(Math.Round(v, digits)) : null;
}
