// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text.Json.Nodes;
using Acgs.Perf.Lab;
using Acgs.Perf.Reporting;
using Acgs.Perf.Settings;

namespace Acgs.Perf.Modes;

/// <summary>Per proxy at the open-model rate (or each of <c>--rates</c> in turn): CPU µs per request (/proc
/// utime+stime delta ÷ requests, the process and its children), managed bytes allocated per request (.NET
/// proxies), RSS at the end and peak (VmRSS, VmHWM), the generator's own CPU per request, and the latency
/// percentiles of the measured window; with several rates, one table of every proxy at every rate.</summary>
internal static class EfficiencyMode
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(PerfLab lab, PerfSettings settings, PerfReport report, CancellationToken ct)
    {
        var rates = settings.Rates.Count > 0 ? settings.Rates : [settings.Rate];
        var all = new List<EfficiencyRow>();
        var byRate = new JsonObject();
        var valid = true;
        JsonObject? last = null;
        foreach (var rate in rates)
        {
            var (rows, json, ok) = await RateAsync(lab, settings, rate, report, ct).ConfigureAwait(false);
            all.AddRange(rows);
            byRate[rate.ToString("0", Inv)] = json;
            last = json;
            valid &= ok;
        }

        report.Json["efficiency"] = last?.DeepClone();
        if (rates.Count > 1)
        {
            report.Json["rate"] = rates[^1];
            report.Json["efficiency_by_rate"] = byRate;
            report.Line("## Efficiency at every rate, one run");
            report.Line();
            report.Markdown(EfficiencyTable.Markdown(all));
            report.Line();
            report.Line("Rates in the order run, the same processes throughout (RSS at a rate is read after that rate's window, so a lower rate run first is not inflated by a higher one). × nginx: CPU per request ÷ nginx's at the same rate. B/req: managed bytes allocated per request from the runtime's counter (n/a: no .NET runtime).");
            report.Line();
        }

        return valid ? 0 : 2;
    }

    private static async Task<(List<EfficiencyRow> Rows, JsonObject Json, bool Valid)> RateAsync(PerfLab lab, PerfSettings settings, double rate, PerfReport report, CancellationToken ct)
    {
        var suffix = settings.Rates.Count > 0 ? "-" + EfficiencyTable.Rate(rate) : "";
        report.Line(string.Create(Inv, $"## Efficiency: {rate:0} req/s open model, {settings.Duration.TotalSeconds:0} s per proxy after {settings.WarmUp.TotalSeconds:0} s warm-up"));
        report.Line();
        var rows = new List<EfficiencyRow>();
        var json = new JsonObject();
        var valid = true;
        report.Markdown("| proxy | CPU µs/request | managed B/request | RSS MiB (end) | RSS MiB (peak) | generator CPU µs/request | requests | p50 ms | p90 ms | p99 ms |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var t in lab.Targets)
        {
            if (t.Process is null)
            {
                continue;
            }

            await LoadRuns.OpenAsync(t, rate, TimeSpan.Zero, settings.WarmUp, settings, ct).ConfigureAwait(false);
            var cpu0 = ProcFs.CpuSeconds(t.Process.Pid);
            var alloc0 = await SidecarStats.AllocatedBytesAsync(t, ct).ConfigureAwait(false);
            var r = await LoadRuns.OpenAsync(t, rate, TimeSpan.Zero, settings.Duration, settings, ct).ConfigureAwait(false);
            var cpu1 = ProcFs.CpuSeconds(t.Process.Pid);
            var alloc1 = await SidecarStats.AllocatedBytesAsync(t, ct).ConfigureAwait(false);
            var rss = ProcFs.StatusMiB(t.Process.Pid, "VmRSS");
            var peak = ProcFs.StatusMiB(t.Process.Pid, "VmHWM");
            report.AddRun("efficiency-" + t.Name + suffix, r);
            valid &= r.IsValid;
            var n = Math.Max(1, r.Stats?.Requests ?? 0);
            var cpuUs = (cpu1 - cpu0) * 1e6 / n;
            double? bytes = alloc0 is { } a0 && alloc1 is { } a1 ? (double)(a1 - a0) / n : null;
            var row = new EfficiencyRow(t.Name, rate, cpuUs, bytes, rss, peak,
                r.Stats?.LatencyMs(50) ?? double.NaN, r.Stats?.LatencyMs(90) ?? double.NaN, r.Stats?.LatencyMs(99) ?? double.NaN, r.IsValid);
            rows.Add(row);
            report.Markdown(string.Create(Inv,
                $"| {t.Name} | {cpuUs:0.0} | {(bytes is { } b ? b.ToString("0", Inv) : "n/a")} | {rss:0.0} | {peak:0.0} | {r.Stats?.GeneratorCpuUsPerRequest ?? 0:0.0} | {n}{(r.IsValid ? "" : " (INVALID)")} | {Ms(row.P50Ms)} | {Ms(row.P90Ms)} | {Ms(row.P99Ms)} |\n"));
            json[t.Name] = new JsonObject
            {
                ["cpu_us_per_request"] = Math.Round(cpuUs, 2),
                ["managed_bytes_per_request"] = bytes is { } bb ? Math.Round(bb, 1) : null,
                ["rss_mib"] = Math.Round(rss, 1),
                ["rss_peak_mib"] = Math.Round(peak, 1),
                ["generator_cpu_us_per_request"] = Math.Round(r.Stats?.GeneratorCpuUsPerRequest ?? 0, 2),
                ["requests"] = n,
                ["valid"] = r.IsValid,
                ["p50_ms"] = Round(row.P50Ms),
                ["p90_ms"] = Round(row.P90Ms),
                ["p99_ms"] = Round(row.P99Ms),
            };
        }

        report.Line();
        report.Line("CPU is the proxy process tree's utime+stime from /proc (10 ms ticks) over the measured window; managed bytes from GC.GetTotalAllocatedBytes (plain YARP: its stats listener; sidecar: the runtime meter on /metrics).");
        report.Line();
        return (rows, json, valid);
    }

    private static double? Round(double ms) => double.IsFinite(ms) ? Math.Round(ms, 3) : null;

    private static string Ms(double ms) => double.IsFinite(ms) ? ms.ToString("0.000", Inv) : "n/a";
}
