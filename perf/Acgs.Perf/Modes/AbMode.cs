// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text.Json.Nodes;
using Acgs.LoadTest.Running;
using Acgs.Perf.Ab;
using Acgs.Perf.Lab;
using Acgs.Perf.Reporting;
using Acgs.Perf.Settings;

namespace Acgs.Perf.Modes;

/// <summary><c>./acgs perf ab</c>: the same sidecar binary under several environment variants, one process each,
/// loaded in turn at the open-model rate, rounds cut into slices whose order rotates every slice; per variant the
/// medians over slices of CPU µs and managed bytes per request, its own added latency, and the ratio to its
/// baseline variant (Ab/AbSummary). Exit code 0, or 2 when a round was invalid.</summary>
internal static partial class AbMode
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(PerfLab lab, PerfSettings settings, PerfReport report, CancellationToken ct)
    {
        var slices = Interleaved.SliceCount(settings.Duration, settings.Slice);
        var sliceDuring = settings.Duration / slices;
        report.Line(string.Create(Inv, $"## A/B: one sidecar binary ({lab.SidecarBuild}) under {settings.Variants.Count} environments, {settings.Rate:0} req/s open model, {settings.WarmUp.TotalSeconds:0} s warm-up each, then {settings.Rounds} rounds of {settings.Duration.TotalSeconds:0} s per variant in slices of {sliceDuring.TotalSeconds:0.#} s (order rotating every slice)"));
        report.Line();
        report.Markdown("| variant | environment added to the sidecar's | compared with |\n|---|---|---|\n");
        foreach (var v in settings.Variants)
        {
            var hop = v.Hop switch { AbHop.Mtls => " — pair, mTLS hop (server MutualTls strict)", AbHop.Plaintext => " — pair, plaintext hop (client MutualTls disabled)", _ => "" };
            report.Markdown($"| {v.Name} | `{v.Describe()}`{hop} | {v.Baseline ?? "(baseline)"} |\n");
        }

        report.Line();
        var loadBefore = LoadAverage();
        var targets = settings.Variants.Select(v => lab[v.Name]!).ToList();
        await Interleaved.WarmUpAsync(targets, settings.WarmUp, settings, report, ct).ConfigureAwait(false);
        var cpu = new Dictionary<string, double>(StringComparer.Ordinal);
        var peerCpu = new Dictionary<string, double>(StringComparer.Ordinal);
        var handshakes0 = new Dictionary<string, double?>(StringComparer.Ordinal);
        var certificates0 = new Dictionary<string, double?>(StringComparer.Ordinal);
        var alloc = new Dictionary<string, long?>(StringComparer.Ordinal);
        var sink0 = new Dictionary<string, (long Requests, long Bytes)>(StringComparer.Ordinal);
        foreach (var t in targets)
        {
            await SidecarStats.ResetAsync(t, ct).ConfigureAwait(false);
            alloc[t.Name] = await SidecarStats.AllocatedBytesAsync(t, ct).ConfigureAwait(false);
            cpu[t.Name] = ProcFs.CpuSeconds(t.Process!.Pid);
            peerCpu[t.Name] = t.Peer is { } peer ? ProcFs.CpuSeconds(peer.Pid) : 0;
            handshakes0[t.Name] = await HandshakesAsync(t, ct).ConfigureAwait(false);
            certificates0[t.Name] = await CertificatesAsync(t, ct).ConfigureAwait(false);
            sink0[t.Name] = lab.SinkPort(t.Name) is { } port && lab.Sink is { } s0 ? s0.Received(port) : default;
        }

        var samples = new List<AbSlice>();
        var rounds = targets.ToDictionary(t => t.Name, _ => new List<RunResult>(), StringComparer.Ordinal);
        for (var round = 1; round <= settings.Rounds; round++)
        {
            var parts = targets.ToDictionary(t => t.Name, _ => new List<RunResult>(slices), StringComparer.Ordinal);
            for (var slice = 0; slice < slices; slice++)
            {
                for (var i = 0; i < targets.Count; i++)
                {
                    var t = targets[(i + slice) % targets.Count];
                    var r = await LoadRuns.OpenAsync(t, settings.Rate, TimeSpan.Zero, sliceDuring, settings, ct).ConfigureAwait(false);
                    var cpu1 = ProcFs.CpuSeconds(t.Process!.Pid);
                    var peer1 = t.Peer is { } peer ? ProcFs.CpuSeconds(peer.Pid) : 0;
                    var alloc1 = await SidecarStats.AllocatedBytesAsync(t, ct).ConfigureAwait(false);
                    var peerDelta = peer1 - peerCpu[t.Name];
                    samples.Add(new AbSlice(t.Name, round, slice, r.Stats?.Requests ?? 0, cpu1 - cpu[t.Name] + peerDelta, alloc1 - alloc[t.Name], peerDelta,
                        r.Stats?.LatencyMs(90) ?? double.NaN));
                    (cpu[t.Name], peerCpu[t.Name], alloc[t.Name]) = (cpu1, peer1, alloc1);
                    parts[t.Name].Add(r);
                }
            }

            foreach (var t in targets)
            {
                var merged = RunResultMerge.Merge(parts[t.Name], LoadRuns.OpenThresholds);
                rounds[t.Name].Add(merged);
                report.AddRun(string.Create(Inv, $"ab-r{round}-{t.Name}"), merged);
                report.Line(Interleaved.Describe(round, t.Name, merged));
            }
        }

        var latency = new Dictionary<string, AbLatency>(StringComparer.Ordinal);
        foreach (var t in targets)
        {
            var own = await SidecarStats.AddedLatencyAsync(t, ct).ConfigureAwait(false);
            var received = lab.SinkPort(t.Name) is { } port && lab.Sink is { } s1 ? s1.Received(port) : default;
            var runs = rounds[t.Name];
            latency[t.Name] = new AbLatency(own?[1], own?[3],
                LoadRuns.Median(runs.Select(r => r.Stats?.LatencyMs(50) ?? double.NaN)),
                LoadRuns.Median(runs.Select(r => r.Stats?.LatencyMs(99) ?? double.NaN)),
                runs.Count(r => r.IsValid), runs.Count,
                received.Requests - sink0[t.Name].Requests, received.Bytes - sink0[t.Name].Bytes);
        }

        var rows = AbSummary.Rows(settings.Variants, samples, latency);
        report.Line();
        report.Markdown(AbSummary.Markdown(rows));
        report.Line();
        var rss = new JsonObject();
        foreach (var t in targets)
        {
            var (now, peak) = (ProcFs.StatusMiB(t.Process!.Pid, "VmRSS"), ProcFs.StatusMiB(t.Process.Pid, "VmHWM"));
            rss[t.Name] = new JsonObject { ["rss_mib"] = Math.Round(now, 1), ["rss_peak_mib"] = Math.Round(peak, 1) };
        }

        report.Line("RSS after the last slice (VmRSS, peak VmHWM), MiB: " + string.Join(", ", targets.Select(t => string.Create(Inv, $"{t.Name} {rss[t.Name]!["rss_mib"]} (peak {rss[t.Name]!["rss_peak_mib"]})"))) + ".");
        report.Line();
        var pairs = targets.Exists(t => t.Peer is not null);
        report.Line("CPU: the sidecar process tree's utime+stime from /proc over each slice and the idle time before it since its previous slice (work between slices, e.g. a batch export, counts), ÷ the requests of the slice; managed bytes the same way from the runtime's allocation counter (/metrics). Ratios divide by the baseline variant's figure; the per-slice ratios pair each slice with the baseline's slice of the same round and number. Own added latency: the sidecar's /stats/latency histogram over all its slices. Goals: "
            + string.Join(", ", rows.Where(r => r.Variant.Goal is not null).Select(r => $"{r.Variant.Name} ≤ {AbSummary.Percent(r.Variant.Goal!.Value)}")) + " CPU per request."
            + (pairs ? " Pairs: CPU and managed bytes are both sidecars' (client and server) together; own added latency is the client sidecar's." : ""));
        foreach (var r in rows)
        {
            if (r.CpuRatio is { } ratio)
            {
                report.Line(string.Create(Inv, $"ab: {r.Variant.Name} vs {r.Variant.Baseline}: CPU/request {AbSummary.Percent(ratio)} (median of slices; all slices {AbSummary.Percent(r.CpuRatioTotal ?? double.NaN)}), managed B/request {(r.BytesMedian is { } b ? b.ToString("0", Inv) : "n/a")} — {r.Variant.Goal switch { { } g => $"goal ≤ {AbSummary.Percent(g)}: {r.Verdict}", _ => "measured" }}"));
            }
        }

        var hops = pairs ? await PairsAsync(targets, settings, samples, rows, rounds, (handshakes0, certificates0), report, ct).ConfigureAwait(false) : null;

        var loadAfter = LoadAverage();
        report.Line($"Host load average (1/5/15 min) before the warm-up: {loadBefore}; after the last slice: {loadAfter} (2 CPUs; other jobs on the machine load both sides alike, slice by slice).");
        report.Json["ab"] = new JsonObject
        {
            ["load_average_before"] = loadBefore,
            ["load_average_after"] = loadAfter,
            ["rate"] = settings.Rate,
            ["rounds"] = settings.Rounds,
            ["measured_s_per_variant_and_round"] = settings.Duration.TotalSeconds,
            ["slices_per_round"] = slices,
            ["sidecar_build"] = lab.SidecarBuild,
            ["cert_ttl"] = settings.CertTtl,
            ["variants"] = AbSummary.Json(rows),
            ["rss"] = rss,
        };
        if (hops is not null)
        {
            report.Json["ab"]!["pairs"] = hops;
        }
        return rows.TrueForAll(r => r.Latency.ValidRounds == r.Latency.Rounds) ? 0 : 2;
    }

    private static string LoadAverage()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return fields.Length >= 3 ? $"{fields[0]} {fields[1]} {fields[2]}" : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}
