// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;

namespace Acgs.Contracts.Metering;

/// <summary>
/// The top callers, as <c>acgsctl metering top</c> and the control plane's status page show them: the totals of
/// <c>GET /api/v1/metering</c> grouped by <see cref="GroupBy"/>, folded into one <see cref="MeteringTopCaller"/> per
/// (service, caller) with requests and messages apart, largest (requests + messages) first.
/// </summary>
public static class MeteringTopCallers
{
    /// <summary>The <c>group_by</c> the fold needs.</summary>
    public const string GroupBy = "service,source,kind";

    /// <summary>The dimensions of <see cref="GroupBy"/>.</summary>
    public static readonly IReadOnlyList<string> Dimensions = ["service", "source", "kind"];

    /// <summary>The relative URL of the query: windows from <paramref name="fromUnixMs"/> on, of <paramref name="service"/> when given.</summary>
    public static string Query(long fromUnixMs, string? service)
    {
        var path = string.Create(CultureInfo.InvariantCulture, $"api/v1/metering?group_by={GroupBy}&from={fromUnixMs}");
        return service is { Length: > 0 } name ? path + "&service=" + Uri.EscapeDataString(name) : path;
    }

    /// <summary>Folds <paramref name="totals"/> (grouped by <see cref="GroupBy"/>) into at most <paramref name="limit"/> rows, largest first.</summary>
    public static List<MeteringTopCaller> Rank(IEnumerable<MeteringTotal> totals, int limit)
    {
        ArgumentNullException.ThrowIfNull(totals);
        var callers = new Dictionary<(string Service, string Source), MeteringTopCaller>();
        foreach (var total in totals)
        {
            var key = (Value(total, "service"), Value(total, "source"));
            var bus = Value(total, "kind") == MeteringKinds.Bus;
            var row = callers.TryGetValue(key, out var known) ? known : new MeteringTopCaller { Service = key.Item1, Source = key.Item2 };
            callers[key] = row with
            {
                Requests = row.Requests + (bus ? 0 : total.Count),
                Messages = row.Messages + (bus ? total.Count : 0),
                RequestBytes = row.RequestBytes + total.RequestBytes,
                ResponseBytes = row.ResponseBytes + total.ResponseBytes,
                DurationUs = row.DurationUs + (bus ? 0 : total.DurationUs),
            };
        }

        var ranked = new List<MeteringTopCaller>(callers.Values);
        ranked.Sort(static (a, b) =>
        {
            var byCount = (b.Requests + b.Messages).CompareTo(a.Requests + a.Messages);
            var byService = byCount != 0 ? byCount : string.CompareOrdinal(a.Service, b.Service);
            return byService != 0 ? byService : string.CompareOrdinal(a.Source, b.Source);
        });
        return ranked.Count > limit ? ranked.GetRange(0, Math.Max(0, limit)) : ranked;
    }

    private static string Value(MeteringTotal total, string dimension) =>
        total.Group.TryGetValue(dimension, out var value) ? value : string.Empty;
}
