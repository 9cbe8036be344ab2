// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Acgs.Perf.Ab;

/// <summary>Turns the slices of an A/B run into one row per variant (medians over slices, ratios to each
/// variant's baseline, the goal's verdict) and renders them as Markdown and JSON.</summary>
internal static class AbSummary
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static List<AbRow> Rows(IReadOnlyList<AbVariant> variants, IReadOnlyList<AbSlice> slices, IReadOnlyDictionary<string, AbLatency> latency)
    {
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(slices);
        ArgumentNullException.ThrowIfNull(latency);
        var rows = new List<AbRow>(variants.Count);
        foreach (var v in variants)
        {
            var own = AbPairing.Own(slices, v.Name);
            var cpu = LoadRuns.Median(own.Select(s => s.CpuUsPerRequest));
            var total = own.Sum(s => s.Requests) is var n and > 0 ? own.Sum(s => s.CpuSeconds) * 1e6 / n : double.NaN;
            var bytes = own.Count > 0 && own.TrueForAll(s => s.BytesPerRequest is not null) ? LoadRuns.Median(own.Select(s => s.BytesPerRequest!.Value)) : (double?)null;
            double? ratio = null, ratioTotal = null, low = null, high = null;
            var verdict = "baseline";
            if (v.Baseline is { } b && rows.Find(r => r.Variant.Name == b) is { } baseline)
            {
                ratio = cpu / baseline.CpuUsMedian;
                ratioTotal = total / baseline.CpuUsTotal;
                var paired = AbPairing.Paired(own, slices, b, static s => s.Requests > 0, static (s, other) => s.CpuUsPerRequest / other.CpuUsPerRequest);
                (_, low, high) = AbPairing.Quartiles(paired);
                verdict = v.Goal is not { } goal ? "measured" : !double.IsFinite(ratio.Value) ? "invalid" : ratio.Value <= goal ? "met" : "not met";
                if (verdict is "met" or "not met" && (!AllValid(latency, v.Name) || !AllValid(latency, b)))
                {
                    // A round that missed the open-model thresholds (generator lag, errors) judges nothing.
                    verdict = "inconclusive (" + verdict + " on invalid rounds)";
                }
            }
            else if (v.Baseline is not null)
            {
                verdict = "invalid";
            }

            rows.Add(new AbRow(v, own.Count, own.Sum(s => s.Requests), cpu, total, bytes, ratio, ratioTotal, low, high, verdict,
                latency.TryGetValue(v.Name, out var l) ? l : new AbLatency(null, null, double.NaN, double.NaN, 0, 0, 0, 0)));
        }

        return rows;
    }

    private static bool AllValid(IReadOnlyDictionary<string, AbLatency> latency, string name) =>
        latency.TryGetValue(name, out var l) && l.Rounds > 0 && l.ValidRounds == l.Rounds;

    public static string Markdown(IReadOnlyList<AbRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var sb = new StringBuilder();
        sb.Append("| variant | vs | CPU µs/request (median of slices) | ratio | per-slice ratio 25th–75th | CPU µs/request (all slices) | ratio | managed B/request | own added p50 / p99 µs | end-to-end p50 / p99 ms | goal | verdict | slices | requests | OTLP exports received |\n");
        sb.Append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|\n");
        foreach (var r in rows)
        {
            var l = r.Latency;
            sb.Append(string.Create(Inv,
                $"| {r.Variant.Name} | {r.Variant.Baseline ?? "—"} | {r.CpuUsMedian:0.0} | {Ratio(r.CpuRatio)} | {(r.PairedLow is { } lo && r.PairedHigh is { } hi ? $"{lo:0.000}–{hi:0.000}" : "—")} | {r.CpuUsTotal:0.0} | {Ratio(r.CpuRatioTotal)} | {(r.BytesMedian is { } b ? b.ToString("0", Inv) : "n/a")} | {Us(l.OwnP50Us)} / {Us(l.OwnP99Us)} | {l.EndToEndP50Ms:0.000} / {l.EndToEndP99Ms:0.000} | {(r.Variant.Goal is { } g ? $"≤ {Percent(g)}" : "—")} | {r.Verdict} | {r.Slices} | {r.Requests} | {(l.SinkRequests > 0 || r.Variant.NeedsOtlpSink ? $"{l.SinkRequests} ({l.SinkBytes / 1024.0:0} KiB)" : "—")} |\n"));
        }

        return sb.ToString();
    }

    public static JsonObject Json(IReadOnlyList<AbRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var o = new JsonObject();
        foreach (var r in rows)
        {
            var env = new JsonObject();
            foreach (var kv in r.Variant.Environment)
            {
                env[kv.Key] = kv.Value;
            }

            o[r.Variant.Name] = new JsonObject
            {
                ["environment"] = env,
                ["baseline"] = r.Variant.Baseline,
                ["goal_ratio"] = r.Variant.Goal,
                ["verdict"] = r.Verdict,
                ["slices"] = r.Slices,
                ["requests"] = r.Requests,
                ["cpu_us_per_request_median"] = AbPairing.Round(r.CpuUsMedian, 2),
                ["cpu_us_per_request_total"] = AbPairing.Round(r.CpuUsTotal, 2),
                ["cpu_ratio"] = AbPairing.Round(r.CpuRatio, 4),
                ["cpu_ratio_total"] = AbPairing.Round(r.CpuRatioTotal, 4),
                ["cpu_ratio_per_slice_p25"] = AbPairing.Round(r.PairedLow, 4),
                ["cpu_ratio_per_slice_p75"] = AbPairing.Round(r.PairedHigh, 4),
                ["managed_bytes_per_request_median"] = AbPairing.Round(r.BytesMedian, 1),
                ["own_added_p50_us"] = AbPairing.Round(r.Latency.OwnP50Us, 1),
                ["own_added_p99_us"] = AbPairing.Round(r.Latency.OwnP99Us, 1),
                ["end_to_end_p50_ms"] = AbPairing.Round(r.Latency.EndToEndP50Ms, 4),
                ["end_to_end_p99_ms"] = AbPairing.Round(r.Latency.EndToEndP99Ms, 4),
                ["valid_rounds"] = r.Latency.ValidRounds,
                ["rounds"] = r.Latency.Rounds,
                ["otlp_exports_received"] = r.Latency.SinkRequests,
                ["otlp_bytes_received"] = r.Latency.SinkBytes,
            };
        }

        return o;
    }

    /// <summary>A ratio as a signed percentage change, e.g. 1.031 → "+3.1 %".</summary>
    public static string Percent(double ratio) => ((ratio - 1) * 100).ToString("+0.0;-0.0;0.0", Inv) + " %";

    private static string Ratio(double? ratio) =>
        ratio is { } r && double.IsFinite(r) ? string.Create(Inv, $"{r:0.000} ({Percent(r)})") : "—";

    private static string Us(double? us) => us is { } v ? v.ToString("0", Inv) : "n/a";
}
