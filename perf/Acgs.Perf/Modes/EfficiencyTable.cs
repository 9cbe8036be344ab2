// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text;

namespace Acgs.Perf.Modes;

/// <summary>The one table of <c>efficiency --rates</c>: per proxy, CPU µs/request, managed B/request, RSS and
/// p50 / p90 / p99 at each rate, side by side, with each proxy's CPU per request as a multiple of nginx's.</summary>
internal static class EfficiencyTable
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Markdown(IReadOnlyList<EfficiencyRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var rates = rows.Select(r => r.Rate).Distinct().ToList();
        var targets = rows.Select(r => r.Target).Distinct().ToList();
        var sb = new StringBuilder();
        sb.Append("| proxy |");
        foreach (var rate in rates)
        {
            var k = Rate(rate);
            sb.Append(Inv, $" CPU µs/req {k} | × nginx {k} | B/req {k} | RSS MiB {k} | p50 / p90 / p99 ms {k} |");
        }

        sb.Append("\n|---|");
        foreach (var _ in rates)
        {
            sb.Append("---:|---:|---:|---:|---|");
        }

        sb.Append('\n');
        foreach (var target in targets)
        {
            sb.Append("| ").Append(target).Append(" |");
            foreach (var rate in rates)
            {
                var row = rows.FirstOrDefault(r => r.Target == target && r.Rate == rate);
                var nginx = rows.FirstOrDefault(r => r.Target == "nginx" && r.Rate == rate);
                if (row is null)
                {
                    sb.Append(" – | – | – | – | – |");
                    continue;
                }

                var times = nginx is { CpuUs: > 0 } n ? (row.CpuUs / n.CpuUs).ToString("0.00", Inv) : "–";
                var bytes = row.Bytes is { } b ? b.ToString("#,0", Inv) : "n/a";
                sb.Append(Inv, $" {row.CpuUs:0.0} | {times} | {bytes} | {row.RssMiB:0.0} | {Ms(row.P50Ms)} / {Ms(row.P90Ms)} / {Ms(row.P99Ms)}{(row.Valid ? "" : " (INVALID)")} |");
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>A rate as a column suffix: 1000 → "1k", 6000 → "6k", 2500 → "2500".</summary>
    public static string Rate(double rate) =>
        rate >= 1000 && rate % 1000 == 0 ? (rate / 1000).ToString("0", Inv) + "k" : rate.ToString("0", Inv);

    private static string Ms(double ms) => double.IsFinite(ms) ? ms.ToString("0.000", Inv) : "n/a";
}
