// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text;
using Acgs.Contracts.Metering;

namespace Acgs.ControlPlane.Metering;

/// <summary>Sums windows into the groups of a <see cref="MeteringQuery"/>, largest count first; and their CSV.</summary>
internal static class MeteringTotals
{
    /// <summary>The totals of the rows of <paramref name="windows"/> that pass the query's filters.</summary>
    public static List<MeteringTotal> Compute(IReadOnlyList<MeteringWindow> windows, MeteringQuery query)
    {
        var groups = new Dictionary<string, MeteringTotal>(StringComparer.Ordinal);
        var key = new StringBuilder();
        foreach (var window in windows)
        {
            foreach (var row in window.Rows)
            {
                if ((query.Source is not null && row.Source != query.Source) || (query.Tenant is not null && row.Tenant != query.Tenant))
                {
                    continue;
                }

                key.Clear();
                foreach (var dimension in query.GroupBy)
                {
                    key.Append(Value(dimension, window, row)).Append('\u001f');
                }

                if (!groups.TryGetValue(key.ToString(), out var total))
                {
                    var group = new Dictionary<string, string>(StringComparer.Ordinal);
                    foreach (var dimension in query.GroupBy)
                    {
                        group[dimension] = Value(dimension, window, row);
                    }

                    total = new MeteringTotal { Group = group };
                    groups[key.ToString()] = total;
                }

                total.Count += row.Count;
                total.RequestBytes += row.RequestBytes;
                total.ResponseBytes += row.ResponseBytes;
                total.DurationUs += row.DurationUs;
            }
        }

        var result = new List<MeteringTotal>(groups.Values);
        result.Sort(static (a, b) => b.Count.CompareTo(a.Count));
        return result;
    }

    /// <summary>The totals as CSV: the group_by columns, then count, request_bytes, response_bytes, duration_us.</summary>
    public static string Csv(List<MeteringTotal> totals, MeteringQuery query)
    {
        var csv = new StringBuilder();
        foreach (var dimension in query.GroupBy)
        {
            csv.Append(dimension).Append(',');
        }

        csv.Append("count,request_bytes,response_bytes,duration_us\n");
        foreach (var total in totals)
        {
            foreach (var dimension in query.GroupBy)
            {
                csv.Append(Quote(total.Group[dimension])).Append(',');
            }

            csv.Append(CultureInfo.InvariantCulture, $"{total.Count},{total.RequestBytes},{total.ResponseBytes},{total.DurationUs}\n");
        }

        return csv.ToString();
    }

    private static string Value(string dimension, MeteringWindow window, MeteringRow row) => dimension switch
    {
        "service" => window.Service,
        "source" => row.Source,
        "operation" => row.Operation,
        "tenant" => row.Tenant,
        "status_class" => row.StatusClass.ToString(CultureInfo.InvariantCulture) + "xx",
        _ => row.Kind,
    };

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") < 0 && (value.Length == 0 || value[0] is not ('=' or '+' or '-' or '@'))
            ? value
            : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
