// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Perf.Reporting;

namespace Acgs.Perf.Tests.Reporting;

public sealed class ReadmeTableTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("acgs-perf-report-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task RunAsync_ReportsOfSeveralRuns_EachRowFromNewestRunThatMeasuredIt()
    {
        Write("20261201T000000Z", """{"rate":6000,"efficiency":{"sidecar":{"cpu_us_per_request":99.0,"managed_bytes_per_request":2900,"rss_mib":70},"nginx":{"cpu_us_per_request":50.0,"rss_mib":20}}}""");
        Write("20261202T000000Z", """{"rate":6000,"efficiency":{"sidecar":{"cpu_us_per_request":81.5,"managed_bytes_per_request":1400,"rss_mib":38.2},"nginx":{"cpu_us_per_request":55.0,"rss_mib":21}}}""");
        Write("20261203T000000Z", """{"rate":6000,"gate_verdict":"PASS","gate":{"ci":true,"sidecar_own_added_us":{"p99":95},"cpu_us_per_request":{"sidecar":80.1,"nginx":52.3},"median_ms":{"Direct":{"p90":0.1,"p99":0.3},"Sidecar":{"p90":0.2,"p99":0.6},"Nginx":{"p90":0.15,"p99":0.5}}}}""");
        await File.WriteAllTextAsync(Path.Combine(_root, "README.md"), "# x\n\nbefore\n<!-- perf-table:begin -->\nold table\n<!-- perf-table:end -->\nafter\n");
        using var output = new StringWriter();

        var exit = await ReadmeTable.RunAsync(_root, output);

        var readme = await File.ReadAllTextAsync(Path.Combine(_root, "README.md"));
        Assert.Equal(0, exit);
        Assert.DoesNotContain("old table", readme, StringComparison.Ordinal);
        Assert.Contains("| CPU µs per request at 6000 req/s | 81.5 | – | 55.0 | – | 20261202T000000Z |", readme, StringComparison.Ordinal);
        Assert.Contains("| managed bytes allocated per request | 1400 |", readme, StringComparison.Ordinal);
        Assert.Contains("| gate --ci: sidecar own added latency p99 | 0.095 ms | – | – | – | 20261203T000000Z |", readme, StringComparison.Ordinal);
        Assert.StartsWith("# x\n\nbefore\n<!-- perf-table:begin -->\n| measure |", readme, StringComparison.Ordinal);
        Assert.EndsWith("<!-- perf-table:end -->\nafter\n", readme, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NewestGateRunHadInvalidRuns_GateRowsFromNewestValidRun()
    {
        Write("20261203T000000Z", """{"rate":6000,"gate_verdict":"PASS","gate_checks":[{"name":"every run valid (targets reachable, every request answered)","status":"pass"}],"gate":{"ci":true,"sidecar_own_added_us":{"p99":95},"cpu_us_per_request":{"sidecar":80.1,"nginx":52.3},"median_ms":{}}}""");
        Write("20261204T000000Z-ci", """{"rate":6000,"gate_verdict":"PASS","gate_checks":[{"name":"every run valid (targets reachable, every request answered)","status":"inconclusive"}],"gate":{"ci":true,"sidecar_own_added_us":{"p99":419},"cpu_us_per_request":{"sidecar":68.8,"nginx":46.4},"median_ms":{}}}""");
        await File.WriteAllTextAsync(Path.Combine(_root, "README.md"), "<!-- perf-table:begin -->\n<!-- perf-table:end -->\n");
        using var output = new StringWriter();

        var exit = await ReadmeTable.RunAsync(_root, output);

        var readme = await File.ReadAllTextAsync(Path.Combine(_root, "README.md"));
        Assert.Equal(0, exit);
        Assert.Contains("| gate --ci: sidecar own added latency p99 | 0.095 ms | – | – | – | 20261203T000000Z |", readme, StringComparison.Ordinal);
        Assert.DoesNotContain("20261204T000000Z-ci", readme, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ReadmeWithoutMarkers_Exit2AndUnchanged()
    {
        await File.WriteAllTextAsync(Path.Combine(_root, "README.md"), "# no markers\n");
        using var output = new StringWriter();

        var exit = await ReadmeTable.RunAsync(_root, output);

        Assert.Equal(2, exit);
        Assert.Equal("# no markers\n", await File.ReadAllTextAsync(Path.Combine(_root, "README.md")));
    }

    private void Write(string run, string json)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_root, "perf", "results", run)).FullName;
        File.WriteAllText(Path.Combine(dir, "report.json"), json);
    }
}
