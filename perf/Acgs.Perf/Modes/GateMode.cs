// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Acgs.LoadTest.Running;
using Acgs.Perf.Lab;
using Acgs.Perf.Reporting;
using Acgs.Perf.Settings;

namespace Acgs.Perf.Modes;

/// <summary>The gate: open model through the sidecar's inbound path, interleaved with a
/// direct-to-backend calibration and nginx, median of the rounds; the lines are judged by
/// <see cref="GateLines"/>. <c>--ci</c> is the same gate, shorter (docs/performance.md).</summary>
internal static class GateMode
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(PerfLab lab, PerfSettings settings, PerfReport report, CancellationToken ct)
    {
        report.Line(string.Create(Inv, $"## Gate{(settings.Ci ? " (--ci)" : "")}: {settings.Rate:0} req/s open model, {settings.GateWarmUp.TotalSeconds:0} s warm-up + {settings.GateDuration.TotalSeconds:0} s measured per target and round, {settings.Rounds} rounds interleaved in slices of {settings.GateDuration.TotalSeconds / Interleaved.SliceCount(settings.GateDuration, settings.Slice):0.#} s; sidecar build: {lab.SidecarBuild}"));
        report.Line();
        var direct = lab[TargetKind.Direct]!;
        var sidecar = lab[TargetKind.Sidecar];
        var nginx = lab[TargetKind.Nginx];
        if (sidecar is null || nginx is null)
        {
            return Conclude([new GateCheck("targets", CheckStatus.Invalid, $"needs the sidecar and nginx: {string.Join("; ", lab.Notes)}")], settings, report);
        }

        if (lab.SidecarBuild != "native-aot")
        {
            report.Line($"NOTE: the sidecar measured is NOT the Native AOT build it ships as ({lab.SidecarBuild}; {string.Join("; ", lab.Notes)})");
        }

        var runtime = await SidecarStats.RuntimeAsync(sidecar, ct).ConfigureAwait(false);
        Target[] targets = [direct, sidecar, nginx];
        await Interleaved.WarmUpAsync(targets, settings.GateWarmUp, settings, report, ct).ConfigureAwait(false);
        await SidecarStats.ResetAsync(sidecar, ct).ConfigureAwait(false);
        var alloc0 = await SidecarStats.AllocatedBytesAsync(sidecar, ct).ConfigureAwait(false);
        var cpu = new CpuTally(lab.ProxyCpu);
        var results = await Interleaved.OpenRoundsAsync(targets, "gate", settings.GateDuration, settings, report, ct, cpu).ConfigureAwait(false);
        var alloc1 = await SidecarStats.AllocatedBytesAsync(sidecar, ct).ConfigureAwait(false);
        var own = await SidecarStats.AddedLatencyAsync(sidecar, ct).ConfigureAwait(false);
        var rss = ProcFs.StatusMiB(sidecar.Process!.Pid, "VmRSS");
        report.Line();

        var checks = GateLines.Evaluate(new GateInputs(results, cpu, own, runtime, lab.SidecarBuild));
        var sidecarRequests = cpu.Requests(TargetKind.Sidecar);
        double? bytesPerRequest = alloc0 is { } a0 && alloc1 is { } a1 && sidecarRequests > 0 ? (double)(a1 - a0) / sidecarRequests : null;
        report.Line(string.Create(Inv, $"sidecar: {cpu.MicrosecondsPerRequest(TargetKind.Sidecar):0.0} µs CPU/request, {(bytesPerRequest is { } b ? b.ToString("0", Inv) : "n/a")} managed B/request, RSS {rss:0.0} MiB at the end; nginx: {cpu.MicrosecondsPerRequest(TargetKind.Nginx):0.0} µs CPU/request"));
        report.Json["gate"] = new JsonObject
        {
            ["ci"] = settings.Ci,
            ["rate"] = settings.Rate,
            ["rounds"] = settings.Rounds,
            ["measured_s"] = settings.GateDuration.TotalSeconds,
            ["slices_per_round"] = Interleaved.SliceCount(settings.GateDuration, settings.Slice),
            ["sidecar_build"] = lab.SidecarBuild,
            ["median_ms"] = Medians(results, [TargetKind.Direct, TargetKind.Sidecar, TargetKind.Nginx]),
            ["sidecar_own_added_us"] = own is null ? null : new JsonObject { ["count"] = own[0], ["p50"] = own[1], ["p90"] = own[2], ["p99"] = own[3], ["p999"] = own[4], ["max"] = own[5] },
            ["cpu_us_per_request"] = new JsonObject
            {
                ["sidecar"] = Math.Round(cpu.MicrosecondsPerRequest(TargetKind.Sidecar), 2),
                ["nginx"] = Math.Round(cpu.MicrosecondsPerRequest(TargetKind.Nginx), 2),
            },
            ["sidecar_managed_bytes_per_request"] = bytesPerRequest is { } bb ? Math.Round(bb, 1) : null,
            ["sidecar_rss_mib"] = Math.Round(rss, 1),
            ["sidecar_runtime"] = runtime is { } rt ? JsonNode.Parse(rt.GetRawText()) : null,
        };
        return Conclude(checks, settings, report);
    }

    public static JsonObject Medians(Dictionary<TargetKind, List<RunResult>> results, IEnumerable<TargetKind> kinds)
    {
        var o = new JsonObject();
        foreach (var k in kinds)
        {
            var runs = results[k];
            o[k.ToString()] = new JsonObject
            {
                ["p50"] = Math.Round(LoadRuns.Median(runs.Select(r => r.Stats?.LatencyMs(50) ?? double.NaN)), 4),
                ["p90"] = Math.Round(LoadRuns.Median(runs.Select(r => r.Stats?.LatencyMs(90) ?? double.NaN)), 4),
                ["p99"] = Math.Round(LoadRuns.Median(runs.Select(r => r.Stats?.LatencyMs(99) ?? double.NaN)), 4),
                ["p999"] = Math.Round(LoadRuns.Median(runs.Select(r => r.Stats?.LatencyMs(99.9) ?? double.NaN)), 4),
                ["lag_p99"] = Math.Round(LoadRuns.Median(runs.Select(r => r.Stats?.LagMs(99) ?? double.NaN)), 4),
            };
        }

        return o;
    }

    private static int Conclude(List<GateCheck> checks, PerfSettings settings, PerfReport report)
    {
        report.Markdown("| gate line | verdict | detail |\n|---|---|---|\n");
        foreach (var c in checks)
        {
            report.Markdown($"| {c.Name} | {c.Status.ToString().ToUpperInvariant()} | {c.Detail} |\n");
        }

        var exit = checks.Exists(c => c.Status == CheckStatus.Fail) ? RunResult.ExitThresholdFailed
            : checks.Exists(c => c.Status == CheckStatus.Invalid) ? RunResult.ExitInvalid
            : settings.Strict && checks.Exists(c => c.Status == CheckStatus.Inconclusive) ? RunResult.ExitInvalid
            : RunResult.ExitPass;
        var inconclusive = checks.FindAll(c => c.Status == CheckStatus.Inconclusive).ConvertAll(c => c.Name);
        var verdict = exit switch
        {
            RunResult.ExitPass when inconclusive.Count > 0 => "PASS on every line that could be judged; INCONCLUSIVE (not a pass): " + string.Join(", ", inconclusive),
            RunResult.ExitPass => "PASS",
            RunResult.ExitThresholdFailed => "FAIL: " + string.Join(", ", checks.FindAll(c => c.Status == CheckStatus.Fail).ConvertAll(c => c.Name)),
            _ => "INVALID (not a pass)",
        };
        report.Line();
        foreach (var c in checks)
        {
            report.Line($"gate line: {c.Status.ToString().ToUpperInvariant(),-12} {c.Name}");
        }

        report.Line($"gate: {verdict} (exit code {exit})");
        var lines = new JsonArray();
        foreach (var c in checks)
        {
            lines.Add(new JsonObject { ["name"] = c.Name, ["status"] = c.Status.ToString().ToLowerInvariant(), ["detail"] = c.Detail });
        }

        report.Json["gate_checks"] = lines;
        report.Json["gate_exit_code"] = exit;
        report.Json["gate_verdict"] = verdict;
        return exit;
    }
}
