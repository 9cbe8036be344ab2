// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text.Json.Nodes;
using Acgs.Perf.Lab;
using Acgs.Perf.Reporting;
using Acgs.Perf.Settings;

namespace Acgs.Perf.Modes;

/// <summary>Per proxy at the open-model rate: CPU µs per request (/proc utime+stime delta ÷
/// requests, the process and its children), managed bytes allocated per request (.NET proxies),
/// RSS at the end and peak (VmRSS, VmHWM), the generator's own CPU per request, and the
/// latency percentiles of the measured window.</summary>
internal static class EfficiencyMode
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(PerfLab lab, PerfSettings settings, PerfReport report, CancellationToken ct)
    {
        report.Line(string.Create(Inv, $"## Efficiency: {settings.Rate:0} req/s open model, {settings.Duration.TotalSeconds:0} s per proxy after {settings.WarmUp.TotalSeconds:0} s warm-up"));
        report.Line();
        var rows = new JsonObject();
        var valid = true;
        report.Markdown("| proxy | CPU µs/request | managed B/request | RSS MiB (end) | RSS MiB (peak) | generator CPU µs/request | requests | p50 ms | p90 ms | p99 ms |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var t in lab.Targets)
        {
            if (t.Process is null)
            {
                continue;
            }

            await LoadRuns.OpenAsync(t, settings.Rate, TimeSpan.Zero, settings.WarmUp, settings, ct).ConfigureAwait(false);
            var cpu0 = ProcFs.CpuSeconds(t.Process.Pid);
            var alloc0 = await SidecarStats.AllocatedBytesAsync(t, ct).ConfigureAwait(false);
            var r = await LoadRuns.OpenAsync(t, settings.Rate, TimeSpan.Zero, settings.Duration, settings, ct).ConfigureAwait(false);
            var cpu1 = ProcFs.CpuSeconds(t.Process.Pid);
            var alloc1 = await SidecarStats.AllocatedBytesAsync(t, ct).ConfigureAwait(false);
            var rss = ProcFs.StatusMiB(t.Process.Pid, "VmRSS");
            var peak = ProcFs.StatusMiB(t.Process.Pid, "VmHWM");
            report.AddRun("efficiency-" + t.Name, r);
            valid &= r.IsValid;
            var n = Math.Max(1, r.Stats?.Requests ?? 0);
            var cpuUs = (cpu1 - cpu0) * 1e6 / n;
            double? bytes = alloc0 is { } a0 && alloc1 is { } a1 ? (double)(a1 - a0) / n : null;
            report.Markdown(string.Create(Inv,
                $"| {t.Name} | {cpuUs:0.0} | {(bytes is { } b ? b.ToString("0", Inv) : "n/a")} | {rss:0.0} | {peak:0.0} | {r.Stats?.GeneratorCpuUsPerRequest ?? 0:0.0} | {n}{(r.IsValid ? "" : " (INVALID)")} | {Ms(r, 50)} | {Ms(r, 90)} | {Ms(r, 99)} |\n"));
            rows[t.Name] = new JsonObject
            {
                ["cpu_us_per_request"] = Math.Round(cpuUs, 2),
                ["managed_bytes_per_request"] = bytes is { } bb ? Math.Round(bb, 1) : null,
                ["rss_mib"] = Math.Round(rss, 1),
                ["rss_peak_mib"] = Math.Round(peak, 1),
                ["generator_cpu_us_per_request"] = Math.Round(r.Stats?.GeneratorCpuUsPerRequest ?? 0, 2),
                ["requests"] = n,
                ["p50_ms"] = r.Stats is { } s50 ? Math.Round(s50.LatencyMs(50), 3) : null,
                ["p90_ms"] = r.Stats is { } s90 ? Math.Round(s90.LatencyMs(90), 3) : null,
                ["p99_ms"] = r.Stats is { } s99 ? Math.Round(s99.LatencyMs(99), 3) : null,
            };
        }

        report.Line();
        report.Line("CPU is the proxy process tree's utime+stime from /proc (10 ms ticks) over the measured window; managed bytes from GC.GetTotalAllocatedBytes (plain YARP: its stats listener; sidecar: the runtime meter on /metrics).");
        report.Line();
        report.Json["efficiency"] = rows;
        return valid ? 0 : 2;
    }

    private static string Ms(Acgs.LoadTest.Running.RunResult r, double percentile) =>
        r.Stats is { } stats ? stats.LatencyMs(percentile).ToString("0.000", Inv) : "n/a";
}
