// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text.Json.Nodes;
using Acgs.Perf.Lab;
using Acgs.Perf.Reporting;
using Acgs.Perf.Settings;

namespace Acgs.Perf.Modes;

/// <summary>Closed model at a fixed connection count per target, interleaved rounds: requests/s
/// (median) and the ratios sidecar/nginx and sidecar/plain-YARP.</summary>
internal static class CapacityMode
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(PerfLab lab, PerfSettings settings, PerfReport report, CancellationToken ct)
    {
        report.Line(string.Create(Inv, $"## Capacity: closed model, {settings.Connections} connections, {settings.Duration.TotalSeconds:0} s x {settings.Rounds} interleaved rounds (the generator shares the 2 cores)"));
        report.Line();
        var targets = lab.Targets;
        var rps = targets.ToDictionary(t => t.Kind, _ => new List<double>());
        var valid = true;
        for (var round = 1; round <= settings.Rounds; round++)
        {
            foreach (var t in targets)
            {
                var warm = round == 1 ? TimeSpan.FromSeconds(Math.Min(3, settings.WarmUp.TotalSeconds)) : TimeSpan.Zero;
                var r = await LoadRuns.ClosedAsync(t, settings.Connections, warm, settings.Duration, ct).ConfigureAwait(false);
                report.AddRun(string.Create(Inv, $"capacity-r{round}-{t.Name}"), r);
                valid &= r.IsValid;
                var s = r.Stats;
                rps[t.Kind].Add(s?.AchievedRate ?? 0);
                report.Line(string.Create(Inv, $"  round {round} {t.Name,-10} {s?.AchievedRate ?? 0,8:0} req/s, p50 {s?.LatencyMs(50) ?? 0:0.000} p99 {s?.LatencyMs(99) ?? 0:0.000} ms, {s?.Fail ?? 0} failed{(r.IsValid ? "" : " INVALID: " + string.Join("; ", r.InvalidReasons))}"));
            }
        }

        var wrk = new Dictionary<TargetKind, double?>();
        foreach (var t in targets)
        {
            wrk[t.Kind] = await WrkCrossCheck.RequestsPerSecondAsync(t, settings.Connections, settings.Duration, ct).ConfigureAwait(false);
        }

        report.Line();
        report.Markdown("| target | median req/s (harness) | wrk -t1 req/s (cross-check, 1 run) |\n|---|---:|---:|\n");
        var json = new JsonObject();
        var wrkJson = new JsonObject();
        foreach (var t in targets)
        {
            var m = LoadRuns.Median(rps[t.Kind]);
            json[t.Name] = Math.Round(m, 1);
            wrkJson[t.Name] = wrk[t.Kind] is { } w ? Math.Round(w, 1) : null;
            report.Markdown(string.Create(Inv, $"| {t.Name} | {m:0} | {(wrk[t.Kind] is { } ww ? ww.ToString("0", Inv) : "n/a")} |\n"));
        }

        report.Line();
        double M(TargetKind k) => rps.TryGetValue(k, out var v) ? LoadRuns.Median(v) : double.NaN;
        var vsNginx = M(TargetKind.Sidecar) / M(TargetKind.Nginx);
        var vsYarp = M(TargetKind.Sidecar) / M(TargetKind.PlainYarp);
        report.Line(string.Create(Inv, $"capacity ratios: sidecar/nginx {vsNginx:0.00}, sidecar/plain-YARP {vsYarp:0.00} (goal >= 1.0)"));
        report.Line();
        report.Json["capacity"] = new JsonObject
        {
            ["connections"] = settings.Connections,
            ["median_rps"] = json,
            ["wrk_rps"] = wrkJson,
            ["sidecar_to_nginx"] = double.IsFinite(vsNginx) ? Math.Round(vsNginx, 3) : null,
            ["sidecar_to_plain_yarp"] = double.IsFinite(vsYarp) ? Math.Round(vsYarp, 3) : null,
        };
        return valid ? 0 : 2;
    }
}
