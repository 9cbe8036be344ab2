// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Acgs.Perf.Convergence;

/// <summary>The growth curve as Markdown (generated; the docs link to it rather than copy its figures).</summary>
internal static class CurveReport
{
    public static string Markdown(JsonObject report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.Append("<!-- Constitutional Hash: cdd01ef066bc6cf2 -->\n");
        text.Append("# Control-plane convergence: growth curve\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Generated {report["generated_at"]} by `{report["command"]}` on {report["cores"]} cores. ");
        text.Append("Activation of a mesh-wide policy (every snapshot changes) → last ACK, simulated sidecars on real loopback HTTP/1.1 connections.\n");
        if (report["binaries"] is JsonArray { Count: > 0 } binaries)
        {
            text.Append("Control plane measured: ").AppendJoin("; ", binaries.Select(b => string.Create(CultureInfo.InvariantCulture,
                $"{b!["role"]}: {b["build"]} `{b["path"]}` (modified {b["mtime"]}, sha256 {b["sha256"]!.GetValue<string>()[..16]})"))).Append('\n');
        }

        var points = report["points"]!.AsArray().Select(p => p!.AsObject()).ToList();
        var inProcess = points.Where(p => p["mode"] is null).ToList();
        var multi = points.Where(p => p["mode"] is not null).ToList();
        if (inProcess.Count > 0)
        {
            InProcessTable(text, inProcess);
        }

        if (multi.Count > 0)
        {
            MultiProcessTable(text, multi);
        }

        if (report["storm"] is JsonObject storm)
        {
            StormTable(text, storm);
        }

        text.Append("\nGoals: p99 ≤ 100 ms at 1,000 watchers on one replica, ≤ 250 ms at 5,000 over 2 replicas. ");
        if (report["calls"] is JsonNode calls && (int)calls > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"Scoped snapshots (`--calls {calls}`): each service's Egress policy names the next {calls} services, so a snapshot holds {calls} clusters whatever the mesh's size ");
            text.Append("and a mesh-wide change writes (watchers × a line of K clusters) through the sockets.\n");
        }
        else
        {
            text.Append("Every snapshot holds every service's cluster (no Egress policies), so a snapshot line grows with the mesh ");
            text.Append("and a mesh-wide change writes (watchers × line bytes) through the sockets.\n");
        }
        return text.ToString();
    }

    private static void InProcessTable(StringBuilder text, List<JsonObject> points)
    {
        text.Append("\n## In-process (embedded store)\n\nOne process per point: the control plane and the simulated sidecars. CPU, RSS and heap are of that one ");
        text.Append("process (control plane and simulated sidecars together, so an upper bound for the control plane's share).\n\n");
        text.Append("| watchers | services | real connections | p50 ms | p99 ms | server p99 ms | rebuild p50 / p99 ms | compile p50 ms | CPU per activation p50 ms | snapshot line bytes | RSS idle → connected MB | heap per watcher KB | load average |\n");
        text.Append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        foreach (var p in points)
        {
            if (p["skipped"] is { } skipped)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {p["watchers"]} | {p["services"]} | skipped: {skipped} |||||||||||\n");
                continue;
            }

            var heapPerWatcher = ((double)p["heap_connected_bytes"]! - (double)p["heap_idle_bytes"]!) / (double)p["watchers"]! / 1024;
            text.Append(CultureInfo.InvariantCulture,
                $"| {p["watchers"]} | {p["services"]} | {p["connections"]} | {F(p["p50_ms"])} | {F(p["p99_ms"])} | {F(p["server_p99_ms"])} | {F(p["rebuild_p50_ms"])} / {F(p["rebuild_p99_ms"])} | {F(p["compile_p50_ms"])} | {F(p["cpu_p50_ms"])} | {p["snapshot_line_bytes"]} | {Mb(p["rss_idle_bytes"])} → {Mb(p["rss_connected_bytes"])} | {heapPerWatcher:F1} | {p["load_average"]} |\n");
        }
    }

    private static void MultiProcessTable(StringBuilder text, List<JsonObject> points)
    {
        text.Append("\n## Multi-process (replicas on one redis-server)\n\nEach replica is the control plane's Release build in a process of its own, on one `redis-server` ");
        text.Append("(no persistence); the watchers run in separate processes, each service's watchers split over the replicas, each ACKing to ");
        text.Append("the replica it watches. Activations go through replica r0; convergence is to the last ACK on every replica. Rebuild is ");
        text.Append("the slowest replica's (its `/metrics`); CPU is of all replicas together and RSS per replica (from /proc); memory per sidecar is ");
        text.Append("(Σ RSS connected − Σ RSS idle) / watchers. Warm-up rounds (not measured) run until the replicas and the watcher processes ");
        text.Append(CultureInfo.InvariantCulture, $"JIT-compiled under {WarmUp.SettledJitMs} ms for {WarmUp.SettledRounds} rounds in a row (docs/scale.md, \"Warm-up\").\n\n");
        text.Append("*CPU floor* is the least wall time a change's CPU needs on the cores it may use (the medians of the replicas' and the watcher ");
        text.Append("processes' CPU per activation; redis-server and the benchmark left out): where it is near the goal, the host, not the protocol, sets the p99.\n");
        if (points.FirstOrDefault(p => p["replica_cpus"] is not null || p["watcher_cpus"] is not null) is { } pinned)
        {
            text.Append(CultureInfo.InvariantCulture, $"Pinned (`taskset -c`): replicas and redis-server on CPUs {pinned["replica_cpus"]?.ToString() ?? "any"}, watcher processes on {pinned["watcher_cpus"]?.ToString() ?? "any"}.\n");
        }

        text.Append("\n| watchers | replicas | services | real connections | p50 ms | p99 ms | goal (p99) | rebuild p50 / p99 ms | compile p50 ms | CP CPU per activation p50 ms | watcher processes' CPU p50 ms | CPU floor ms | RSS per replica idle → connected (peak) MB | memory per sidecar KB | snapshot line bytes | warm-up rounds | load average |\n");
        text.Append("|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|---:|---:|---|---|\n");
        foreach (var p in points)
        {
            if (p["skipped"] is { } skipped)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {p["watchers"]} | {p["replicas"]} | {p["services"]} | skipped: {skipped} ||||||||||||||\n");
                continue;
            }

            var rss = string.Join("; ", p["per_replica"]!.AsArray().Select(r =>
                string.Create(CultureInfo.InvariantCulture, $"{r!["id"]} {Mb(r["rss_idle_bytes"])} → {Mb(r["rss_connected_bytes"])} ({Mb(r["rss_peak_bytes"])})")));
            text.Append(CultureInfo.InvariantCulture,
                $"| {p["watchers"]} | {p["replicas"]} | {p["services"]} | {p["connections"]} | {F(p["p50_ms"])} | {F(p["p99_ms"])} | {Goal(p)} | {F(p["rebuild_p50_ms"])} / {F(p["rebuild_p99_ms"])} | {F(p["compile_p50_ms"])} | {F(p["cpu_p50_ms"])} | {Optional(p["watcher_cpu_p50_ms"])} | {Optional(p["cpu_floor_ms"])} | {rss} | {(double)p["memory_per_sidecar_bytes"]! / 1024:F1} | {p["snapshot_line_bytes"]} | {Warm(p["warmup"])} | {p["load_average"]} |\n");
        }
    }

    /// <summary>A point's goal and whether it was met; "–" where the point has none (or was measured before goals were recorded).</summary>
    private static string Goal(JsonObject point) => point["goal_p99_ms"] is { } goal
        ? string.Create(CultureInfo.InvariantCulture, $"≤ {(double)goal:F0} ms: {((bool)point["goal_met"]! ? "met" : "missed")}")
        : "–";

    private static string Optional(JsonNode? value) => value is null ? "–" : F(value);

    /// <summary>A point's warm-up: its rounds and whether the JIT settled; "–" for a point measured before the rule.</summary>
    private static string Warm(JsonNode? warmup) => warmup is null ? "–"
        : string.Create(CultureInfo.InvariantCulture, $"{warmup["rounds"]} ({((bool)warmup["jit_settled"]! ? "JIT settled" : "JIT not settled")})");

    private static void StormTable(StringBuilder text, JsonObject storm)
    {
        text.Append("\n## Reconnect storm (one replica)\n\n");
        if (storm["skipped"] is { } skipped)
        {
            text.Append(CultureInfo.InvariantCulture, $"Not measured: {skipped}.\n");
            return;
        }

        text.Append(CultureInfo.InvariantCulture, $"{storm["watchers"]} watchers over {storm["services"]} services on one replica process; its RSS {Mb(storm["rss_idle_bytes"])} MB idle, {Mb(storm["rss_connected_bytes"])} MB with them connected. ");
        text.Append("Steady state is a series of activations; the storms are measured from the drop (or the kill) until every watcher has ACKed a snapshot on its new stream. ");
        text.Append("CPU of the replica (all of a restarted process's, start-up included), sampled every 50 ms from /proc.\n\n");
        text.Append("| phase | what | seconds to re-converged | peak RSS MB | peak RSS vs steady | CPU ms | average cores | busiest 500 ms, cores |\n|---|---|---:|---:|---:|---:|---:|---:|\n");
        var steadyPeak = (double)storm["steady"]!["rss_peak_bytes"]!;
        foreach (var phase in (string[])["steady", "drop", "restart"])
        {
            var p = storm[phase]!;
            text.Append(CultureInfo.InvariantCulture,
                $"| {phase} | {p["what"]} | {F(p["seconds"])}{(p["after_ready_seconds"] is { } after ? $" ({F(after)} after ready)" : "")} | {Mb(p["rss_peak_bytes"])} | {(double)p["rss_peak_bytes"]! / steadyPeak:F2}× | {(double)p["cpu_ms"]!:F0} | {(double)p["cpu_cores"]!:F2} | {(double)p["cpu_peak_cores"]!:F2} |\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"\nLoad average at the end: {storm["load_average"]}.\n");
    }

    private static string F(JsonNode? value) => ((double)value!).ToString("F1", CultureInfo.InvariantCulture);

    private static string Mb(JsonNode? value) => ((double)value! / 1048576).ToString("F0", CultureInfo.InvariantCulture);
}
