// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Perf.Reporting;

namespace Acgs.Perf.Tests.Reporting;

public sealed class GateSeriesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("acgs-perf-series-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task RunAsync_ThreeRunsNoneFailed_TalliesLinesAndMedians()
    {
        Run("run-01", "pass", 140, 80, 110, "quiet");
        Run("run-02", "inconclusive", 150, 75, 120, "quiet");
        Run("run-03", "pass", 146, 83, 90, "half a core kept busy");
        var outDir = Path.Combine(_root, "out");
        using var output = new StringWriter();

        var exit = await GateSeries.RunAsync(["--out", outDir, Path.Combine(_root, "run-01"), Path.Combine(_root, "run-02"), Path.Combine(_root, "run-03")], output);

        var md = await File.ReadAllTextAsync(Path.Combine(outDir, "series.md"));
        Assert.Equal(0, exit);
        Assert.Contains("Every line of every run is PASS or INCONCLUSIVE", md, StringComparison.Ordinal);
        Assert.Contains("| http: end-to-end P99 < 1 ms | 2 | 1 | 0 |", md, StringComparison.Ordinal);
        Assert.Contains("| http: sidecar CPU µs per request | 3 | 140 | 146 | 150 |", md, StringComparison.Ordinal);
        Assert.Contains("| http: sidecar own added p99 ms | 3 | 0.09 | 0.11 | 0.12 |", md, StringComparison.Ordinal);
        Assert.Contains("| http: sidecar achieved rate % (median round) | 3 | 99.15 | 99.15 | 99.15 |", md, StringComparison.Ordinal);
        Assert.Contains("| bus: throughput msg/s | 3 | 250000 | 250000 | 250000 |", md, StringComparison.Ordinal);
        Assert.Contains("| run-03 | half a core kept busy | 0 | 0 | 0 / 0 |", md, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(outDir, "series.json")));
    }

    [Fact]
    public async Task RunAsync_OneLineFailed_Exit1AndSaysSo()
    {
        Run("run-01", "pass", 140, 80, 110, "quiet");
        Run("run-02", "fail", 150, 75, 120, "quiet");
        var outDir = Path.Combine(_root, "out");
        using var output = new StringWriter();

        var exit = await GateSeries.RunAsync(["--out", outDir, Path.Combine(_root, "run-01"), Path.Combine(_root, "run-02")], output);

        Assert.Equal(1, exit);
        Assert.Contains("**1 line(s) FAILED**", await File.ReadAllTextAsync(Path.Combine(outDir, "series.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_DirectoryWithoutVerdictAndUnknownOption_Exit2OneLinePerProblem()
    {
        Directory.CreateDirectory(Path.Combine(_root, "empty"));
        using var output = new StringWriter();

        var exit = await GateSeries.RunAsync(["--bogus", "--out", Path.Combine(_root, "out"), Path.Combine(_root, "empty")], output);

        var text = output.ToString();
        Assert.Equal(2, exit);
        Assert.Contains("acgs perf series: unknown option --bogus", text, StringComparison.Ordinal);
        Assert.Contains("empty: no verdict.json", text, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, "out")));
    }

    private void Run(string name, string e2eStatus, double sidecarCpu, double nginxCpu, double ownP99Us, string condition)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_root, name)).FullName;
        var exit = e2eStatus == "fail" ? 1 : 0;
        File.WriteAllText(Path.Combine(dir, "condition.txt"), condition + "\n");
        File.WriteAllText(Path.Combine(dir, "verdict.json"), $$"""
            {"exit_code":{{exit}},"lines":[
              {"name":"achieved rate >= 99 % of target (median round)","status":"pass","detail":"sidecar median round 99.15 %, nginx 99.96 %"},
              {"name":"end-to-end P99 < 1 ms","status":"{{e2eStatus}}","detail":""}],
             "figures":{"cpu_us_per_request":{"sidecar":{{sidecarCpu}},"nginx":{{nginxCpu}} },"sidecar_own_added_us":{"p99":{{ownP99Us}} },
               "median_ms":{"Direct":{"p99":0.4,"lag_p99":0.5},"Sidecar":{"p90":0.3,"p99":0.8},"Nginx":{"p90":0.2,"p99":0.6} } } }
            """);
        File.WriteAllText(Path.Combine(dir, "bus-verdict.json"), """
            {"exit_code":0,"lines":[{"name":"throughput >= 100,000 msg/s","status":"pass","detail":""}],"figures":{"throughput_msg_per_s":250000,"own_p99_us":200}}
            """);
    }
}
