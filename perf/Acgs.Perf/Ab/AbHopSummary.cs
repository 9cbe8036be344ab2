// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Acgs.Perf.Ab;

/// <summary>The pair variants of an A/B run (client sidecar → server sidecar → app): each sidecar's CPU per request, new
/// TLS handshakes per second, end-to-end p50/p90/p99, and the p90 goal judged on paired slices. A p90 rise is
/// <c>met</c> only when the 75th percentile of the per-slice differences is within the goal, <c>not met</c> only when
/// the 25th is above it; in between the slices disagree more than the goal and the verdict is <c>inconclusive</c>.</summary>
internal static class AbHopSummary
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static List<AbHopRow> Rows(IReadOnlyList<AbVariant> variants, IReadOnlyList<AbSlice> slices, IReadOnlyDictionary<string, AbHopFigures> figures)
    {
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(slices);
        ArgumentNullException.ThrowIfNull(figures);
        var rows = new List<AbHopRow>(variants.Count);
        foreach (var v in variants)
        {
            if (v.Hop is null || !figures.TryGetValue(v.Name, out var f))
            {
                continue;
            }

            var own = AbPairing.Own(slices, v.Name);
            var client = LoadRuns.Median(own.Select(s => (s.CpuSeconds - s.PeerCpuSeconds) * 1e6 / s.Requests));
            var server = LoadRuns.Median(own.Select(s => s.PeerCpuSeconds * 1e6 / s.Requests));
            var both = LoadRuns.Median(own.Select(s => s.CpuUsPerRequest));
            double? perSecond = f.Handshakes is { } h && f.LoadedSeconds > 0 ? h / f.LoadedSeconds : null;
            double? delta = null, low = null, high = null;
            var verdict = "baseline";
            if (v.Baseline is { } b)
            {
                var paired = AbPairing.Paired(own, slices, b, static s => double.IsFinite(s.P90Ms), static (s, other) => s.P90Ms - other.P90Ms);
                (delta, low, high) = AbPairing.Quartiles(paired);
                verdict = Verdict(v.P90GoalMs, paired.Count, low, high, f.AllValid && figures.TryGetValue(b, out var bf) && bf.AllValid);
            }

            rows.Add(new AbHopRow(v, client, server, both, perSecond, delta, low, high, verdict, f));
        }

        return rows;
    }

    private static string Verdict(double? goal, int pairs, double? low, double? high, bool valid)
    {
        if (goal is not { } g)
        {
            return "measured";
        }

        if (pairs == 0)
        {
            return "invalid";
        }

        if (!valid)
        {
            return "inconclusive (invalid rounds)";
        }

        return high <= g ? "met" : low > g ? "not met" : string.Create(Inv, $"inconclusive (slices disagree: {low:+0.000;-0.000} to {high:+0.000;-0.000} ms)");
    }

    public static string Markdown(IReadOnlyList<AbHopRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var sb = new StringBuilder();
        sb.Append("| variant | hop | vs | CPU µs/request: client sidecar | server sidecar | both | new TLS handshakes/s (server inbound) | end-to-end p50 / p90 / p99 ms | p90 Δ ms, median of paired slices (25th–75th) | p90 goal | p90 verdict | certificates renewed while measured |\n");
        sb.Append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|\n");
        foreach (var r in rows)
        {
            var f = r.Figures;
            sb.Append(Inv, $"| {r.Variant.Name} | {(r.Variant.Hop == AbHop.Mtls ? "mTLS" : "plaintext")} | {r.Variant.Baseline ?? "—"} | {r.ClientCpuUs:0.0} | {r.ServerCpuUs:0.0} | {r.BothCpuUs:0.0} | ");
            sb.Append(r.HandshakesPerSecond is { } hs ? string.Create(Inv, $"{hs:0.00} ({f.Handshakes:0} in {f.LoadedSeconds:0} s)") : "n/a");
            sb.Append(Inv, $" | {f.P50Ms:0.000} / {f.P90Ms:0.000} / {f.P99Ms:0.000} | ");
            sb.Append(r.P90DeltaMs is { } d ? string.Create(Inv, $"{d:+0.000;-0.000} ({r.P90DeltaLow:+0.000;-0.000} to {r.P90DeltaHigh:+0.000;-0.000})") : "—");
            sb.Append(Inv, $" | {(r.Variant.P90GoalMs is { } g ? string.Create(Inv, $"≤ +{g:0.0##} ms") : "—")} | {r.P90Verdict} | {(f.Certificates is { } c ? c.ToString("0", Inv) : "n/a")} |\n");
        }

        return sb.ToString();
    }

    public static JsonObject Json(IReadOnlyList<AbHopRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var o = new JsonObject();
        foreach (var r in rows)
        {
            o[r.Variant.Name] = new JsonObject
            {
                ["hop"] = r.Variant.Hop == AbHop.Mtls ? "mtls" : "plaintext",
                ["baseline"] = r.Variant.Baseline,
                ["client_cpu_us_per_request_median"] = AbPairing.Round(r.ClientCpuUs, 2),
                ["server_cpu_us_per_request_median"] = AbPairing.Round(r.ServerCpuUs, 2),
                ["both_cpu_us_per_request_median"] = AbPairing.Round(r.BothCpuUs, 2),
                ["server_inbound_tls_handshakes"] = AbPairing.Round(r.Figures.Handshakes, 0),
                ["tls_handshakes_per_second"] = AbPairing.Round(r.HandshakesPerSecond, 3),
                ["loaded_seconds"] = AbPairing.Round(r.Figures.LoadedSeconds, 1),
                ["end_to_end_p50_ms"] = AbPairing.Round(r.Figures.P50Ms, 4),
                ["end_to_end_p90_ms"] = AbPairing.Round(r.Figures.P90Ms, 4),
                ["end_to_end_p99_ms"] = AbPairing.Round(r.Figures.P99Ms, 4),
                ["p90_delta_ms_median"] = AbPairing.Round(r.P90DeltaMs, 4),
                ["p90_delta_ms_p25"] = AbPairing.Round(r.P90DeltaLow, 4),
                ["p90_delta_ms_p75"] = AbPairing.Round(r.P90DeltaHigh, 4),
                ["p90_goal_ms"] = r.Variant.P90GoalMs,
                ["p90_verdict"] = r.P90Verdict,
                ["certificates_renewed"] = AbPairing.Round(r.Figures.Certificates, 0),
            };
        }

        return o;
    }
}
