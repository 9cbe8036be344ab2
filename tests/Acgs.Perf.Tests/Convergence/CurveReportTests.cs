// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Nodes;
using Acgs.Perf.Convergence;

namespace Acgs.Perf.Tests.Convergence;

public sealed class CurveReportTests
{
    private const string Replica = """{"id":"r{0}","connected_sidecars":500,"rss_idle_bytes":104857600,"rss_connected_bytes":157286400,"rss_peak_bytes":167772160,"cpu_p50_ms":80,"rebuild_p50_ms":40,"rebuild_p99_ms":60}""";

    [Fact]
    public void Markdown_MultiProcessPointsAndStorm_TablesWithReplicasMemoryAndStormRatio()
    {
        var report = JsonNode.Parse("""
            {"generated_at":"2026-12-06T21:00:00Z","command":"dotnet run -- --curve 1000 --replicas 2 --storm 1000","cores":2,"points":[
              {"mode":"multi-process","watchers":1000,"services":50,"replicas":2,"connections":1400,"p50_ms":55.26,"p99_ms":90.5,"rebuild_p50_ms":40,"rebuild_p99_ms":60,
               "compile_p50_ms":20,"cpu_p50_ms":160,"watcher_cpu_p50_ms":90,"cpu_floor_ms":125,"goal_p99_ms":250,"goal_met":true,"memory_per_sidecar_bytes":51200,"snapshot_line_bytes":30000,"load_average":"1.0 1.0 1.0",
               "warmup":{"rounds":14,"jit_settled":true},"per_replica":[REPLICAS]},
              {"mode":"multi-process","watchers":10000,"services":500,"replicas":2,"skipped":"needs ~21200 file descriptors in one process (limit 20000)"}],
             "storm":{"watchers":1000,"services":50,"rss_idle_bytes":104857600,"rss_connected_bytes":157286400,"load_average":"2.0 2.0 2.0",
               "steady":{"what":"10 activations","seconds":5,"rss_peak_bytes":209715200,"cpu_ms":1000,"cpu_cores":0.2,"cpu_peak_cores":0.5},
               "drop":{"what":"every stream dropped at once","seconds":1.5,"rss_peak_bytes":314572800,"cpu_ms":1200,"cpu_cores":0.8,"cpu_peak_cores":1.6},
               "restart":{"what":"replica killed","seconds":6,"after_ready_seconds":2.5,"rss_peak_bytes":188743680,"cpu_ms":4000,"cpu_cores":0.67,"cpu_peak_cores":1.9}}}
            """.Replace("REPLICAS", Replica.Replace("{0}", "0", StringComparison.Ordinal) + "," + Replica.Replace("{0}", "1", StringComparison.Ordinal), StringComparison.Ordinal))!.AsObject();

        var markdown = CurveReport.Markdown(report);

        Assert.StartsWith("<!-- Constitutional Hash: cdd01ef066bc6cf2 -->\n# Control-plane convergence: growth curve\n", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("## In-process", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("Pinned (`taskset -c`)", markdown, StringComparison.Ordinal);
        Assert.Contains("| 1000 | 2 | 50 | 1400 | 55.3 | 90.5 | ≤ 250 ms: met | 40.0 / 60.0 | 20.0 | 160.0 | 90.0 | 125.0 | r0 100 → 150 (160); r1 100 → 150 (160) | 50.0 | 30000 | 14 (JIT settled) | 1.0 1.0 1.0 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| 10000 | 2 | 500 | skipped: needs ~21200 file descriptors in one process (limit 20000) |", markdown, StringComparison.Ordinal);
        Assert.Contains("| drop | every stream dropped at once | 1.5 | 300 | 1.50× | 1200 | 0.80 | 1.60 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| restart | replica killed | 6.0 (2.5 after ready) | 180 | 0.90× | 4000 | 0.67 | 1.90 |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_PinnedPointThatMissedItsGoal_SaysWhereItRanAndMissed()
    {
        var report = JsonNode.Parse("""
            {"generated_at":"t","command":"c","cores":4,"points":[
              {"mode":"multi-process","watchers":5000,"services":250,"replicas":2,"connections":10001,"p50_ms":200,"p99_ms":300,"rebuild_p50_ms":40,"rebuild_p99_ms":60,
               "compile_p50_ms":20,"cpu_p50_ms":300,"watcher_cpu_p50_ms":160,"cpu_floor_ms":150,"goal_p99_ms":250,"goal_met":false,"replica_cpus":"0-1","watcher_cpus":"2-3",
               "memory_per_sidecar_bytes":51200,"snapshot_line_bytes":4000,"load_average":"1.0","warmup":{"rounds":5,"jit_settled":true},"per_replica":[]},
              {"mode":"multi-process","watchers":100,"services":10,"replicas":2,"connections":201,"p50_ms":9,"p99_ms":30,"rebuild_p50_ms":1,"rebuild_p99_ms":2,
               "compile_p50_ms":1,"cpu_p50_ms":10,"memory_per_sidecar_bytes":51200,"snapshot_line_bytes":4000,"load_average":"1.0","per_replica":[]}]}
            """)!.AsObject();

        var markdown = CurveReport.Markdown(report);

        Assert.Contains("Pinned (`taskset -c`): replicas and redis-server on CPUs 0-1, watcher processes on 2-3.", markdown, StringComparison.Ordinal);
        Assert.Contains("| 5000 | 2 | 250 | 10001 | 200.0 | 300.0 | ≤ 250 ms: missed | 40.0 / 60.0 | 20.0 | 300.0 | 160.0 | 150.0 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| 100 | 2 | 10 | 201 | 9.0 | 30.0 | – | 1.0 / 2.0 | 1.0 | 10.0 | – | – |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_InProcessPoint_HeapPerWatcherFromHeapDelta()
    {
        var report = JsonNode.Parse("""
            {"generated_at":"t","command":"c","cores":2,"points":[
              {"watchers":100,"services":10,"connections":200,"p50_ms":10,"p99_ms":20,"server_p99_ms":18,"rebuild_p50_ms":5,"rebuild_p99_ms":8,"compile_p50_ms":3,
               "cpu_p50_ms":30,"snapshot_line_bytes":4000,"rss_idle_bytes":104857600,"rss_connected_bytes":115343360,"heap_idle_bytes":1048576,"heap_connected_bytes":1253376,"load_average":"0.5"}]}
            """)!.AsObject();

        var markdown = CurveReport.Markdown(report);

        Assert.Contains("## In-process (embedded store)", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("## Multi-process", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("## Reconnect storm", markdown, StringComparison.Ordinal);
        Assert.Contains("| 100 | 10 | 200 | 10.0 | 20.0 | 18.0 | 5.0 / 8.0 | 3.0 | 30.0 | 4000 | 100 → 110 | 2.0 | 0.5 |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_Calls_SaysTheSnapshotsAreScoped()
    {
        const string Point = """{"watchers":100,"services":10,"connections":200,"p50_ms":10,"p99_ms":20,"server_p99_ms":18,"rebuild_p50_ms":5,"rebuild_p99_ms":8,"compile_p50_ms":3,"cpu_p50_ms":30,"snapshot_line_bytes":4000,"rss_idle_bytes":104857600,"rss_connected_bytes":115343360,"heap_idle_bytes":1048576,"heap_connected_bytes":1253376,"load_average":"0.5"}""";
        var scoped = CurveReport.Markdown(JsonNode.Parse("""{"generated_at":"t","command":"c","cores":2,"calls":5,"points":[POINT]}""".Replace("POINT", Point, StringComparison.Ordinal))!.AsObject());
        var whole = CurveReport.Markdown(JsonNode.Parse("""{"generated_at":"t","command":"c","cores":2,"points":[POINT]}""".Replace("POINT", Point, StringComparison.Ordinal))!.AsObject());

        Assert.Contains("Scoped snapshots (`--calls 5`)", scoped, StringComparison.Ordinal);
        Assert.Contains("Every snapshot holds every service's cluster (no Egress policies)", whole, StringComparison.Ordinal);
    }
}
