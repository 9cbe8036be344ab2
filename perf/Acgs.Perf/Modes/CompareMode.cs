// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text.Json.Nodes;
using Acgs.Perf.Lab;
using Acgs.Perf.Reporting;
using Acgs.Perf.Settings;

namespace Acgs.Perf.Modes;

/// <summary>Side by side: direct / nginx / HAProxy / plain YARP / sidecar, interleaved rounds,
/// medians of p50, p90, p99, p99.9 and the latency each adds over direct.</summary>
internal static class CompareMode
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(PerfLab lab, PerfSettings settings, PerfReport report, CancellationToken ct)
    {
        report.Line(string.Create(Inv, $"## Comparison: {settings.Rate:0} req/s open model, {settings.WarmUp.TotalSeconds:0} s warm-up, {settings.Duration.TotalSeconds:0} s x {settings.Rounds} rounds interleaved in slices of {settings.Duration.TotalSeconds / Interleaved.SliceCount(settings.Duration, settings.Slice):0.#} s"));
        report.Line();
        var targets = lab.Targets;
        await Interleaved.WarmUpAsync(targets, settings.WarmUp, settings, report, ct).ConfigureAwait(false);
        var results = await Interleaved.OpenRoundsAsync(targets, "compare", settings.Duration, settings, report, ct).ConfigureAwait(false);
        report.Line();
        double[] ps = [50, 90, 99, 99.9];
        double Med(TargetKind k, double p) => LoadRuns.Median(results[k].Select(r => r.Stats?.LatencyMs(p) ?? double.NaN));
        report.Markdown("| target (median ms) | p50 | p90 | p99 | p99.9 | added p50 | added p90 | added p99 | added p99.9 | errors | valid runs |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var t in targets)
        {
            var row = new List<string> { t.Name };
            row.AddRange(ps.Select(p => Med(t.Kind, p).ToString("0.000", Inv)));
            row.AddRange(ps.Select(p => t.Kind == TargetKind.Direct ? "—" : (Med(t.Kind, p) - Med(TargetKind.Direct, p)).ToString("+0.000;-0.000", Inv)));
            row.Add(results[t.Kind].Sum(r => r.Stats?.Fail ?? 0).ToString(Inv));
            row.Add(string.Create(Inv, $"{results[t.Kind].Count(r => r.IsValid)}/{results[t.Kind].Count}"));
            report.Markdown("| " + string.Join(" | ", row) + " |\n");
        }

        report.Line();
        report.Json["compare"] = new JsonObject
        {
            ["rate"] = settings.Rate,
            ["rounds"] = settings.Rounds,
            ["measured_s"] = settings.Duration.TotalSeconds,
            ["median_ms"] = GateMode.Medians(results, targets.Select(t => t.Kind)),
        };
        return results.Values.SelectMany(r => r).All(r => r.IsValid) ? 0 : 2;
    }
}
