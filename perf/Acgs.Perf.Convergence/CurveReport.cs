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
        var text = new StringBuilder();
        text.Append("<!-- Constitutional Hash: cdd01ef066bc6cf2 -->\n");
        text.Append("# Control-plane convergence: growth curve\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Generated {report["generated_at"]} by `{report["command"]}` on {report["cores"]} cores. ");
        text.Append("One process per point: an in-process control plane (embedded store) and N simulated sidecars on real loopback HTTP/1.1 ");
        text.Append("connections; activation of a mesh-wide policy (every snapshot changes) → last ACK. CPU, RSS and heap are of that one ");
        text.Append("process (control plane and simulated sidecars together, so an upper bound for the control plane's share).\n\n");
        text.Append("| watchers | services | real connections | p50 ms | p99 ms | server p99 ms | rebuild p50 / p99 ms | compile p50 ms | CPU per activation p50 ms | snapshot line bytes | RSS idle → connected MB | heap per watcher KB | load average |\n");
        text.Append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        foreach (var point in report["points"]!.AsArray())
        {
            var p = point!.AsObject();
            if (p["skipped"] is { } skipped)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {p["watchers"]} | {p["services"]} | skipped: {skipped} |||||||||||\n");
                continue;
            }

            var watchers = (double)p["watchers"]!;
            var heapPerWatcher = ((double)p["heap_connected_bytes"]! - (double)p["heap_idle_bytes"]!) / watchers / 1024;
            text.Append(CultureInfo.InvariantCulture,
                $"| {p["watchers"]} | {p["services"]} | {p["connections"]} | {F(p["p50_ms"])} | {F(p["p99_ms"])} | {F(p["server_p99_ms"])} | {F(p["rebuild_p50_ms"])} / {F(p["rebuild_p99_ms"])} | {F(p["compile_p50_ms"])} | {F(p["cpu_p50_ms"])} | {p["snapshot_line_bytes"]} | {Mb(p["rss_idle_bytes"])} → {Mb(p["rss_connected_bytes"])} | {heapPerWatcher:F1} | {p["load_average"]} |\n");
        }

        text.Append("\nGoal: p99 ≤ 100 ms at 1,000 watchers on one replica. Every snapshot holds every service's cluster, so a snapshot line grows with the mesh ");
        text.Append("and a mesh-wide change writes (watchers × line bytes) through the sockets.\n");
        return text.ToString();
    }

    private static string F(JsonNode? value) => ((double)value!).ToString("F1", CultureInfo.InvariantCulture);

    private static string Mb(JsonNode? value) => ((double)value! / 1048576).ToString("F0", CultureInfo.InvariantCulture);
}
