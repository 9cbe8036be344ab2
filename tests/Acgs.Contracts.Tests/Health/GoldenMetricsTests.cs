// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.Contracts.Health;
using Acgs.Contracts.Serialization;
using Xunit;

namespace Acgs.Contracts.Tests.Health;

/// <summary>The golden-metrics part of a health report: its wire format, its validation, and reports without it.</summary>
public sealed class GoldenMetricsTests
{
    [Fact]
    public void Read_ReportWithGolden_ReadsEveryEdge()
    {
        const string Json = """
            {"clusters":[],"golden":{"window_ms":5000,"edges":[
              {"direction":"outbound","peer":"vector-search","requests":12,"errors":12,"p50_ms":0.5,"p99_ms":1.5},
              {"direction":"inbound","peer":"frontend","requests":100,"errors":0,"p50_ms":0.2,"p99_ms":0.9}]}}
            """;

        var report = JsonSerializer.Deserialize(Json, AcgsJsonContext.Default.HealthReport)!;

        Assert.Equal(5000, report.Golden!.WindowMs);
        Assert.Equal(new EdgeMetrics("outbound", "vector-search", 12, 12, 0.5, 1.5), report.Golden.Edges![0]);
        Assert.Equal(20.0, report.Golden.Rate(100));
        Assert.True(HealthReportValidator.Validate("api", "n1", report).IsValid);
    }

    [Fact]
    public void Read_OlderReportWithoutGolden_StaysValidAndWritesNoGolden()
    {
        var report = JsonSerializer.Deserialize("""{"clusters":[{"name":"orders","state":"closed"}]}""", AcgsJsonContext.Default.HealthReport)!;

        Assert.Null(report.Golden);
        Assert.True(HealthReportValidator.Validate("api", "n1", report).IsValid);
        Assert.DoesNotContain("golden", JsonSerializer.Serialize(report, AcgsJsonContext.Default.HealthReport), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadGolden_EveryProblemListed()
    {
        var golden = new GoldenMetrics(0, [
            new EdgeMetrics("sideways", "", -1, 0, double.NaN, 1),
            new EdgeMetrics("outbound", "orders", 3, 4, 2, 1),
            new EdgeMetrics("outbound", "orders", 1, 0, 0, 0),
            null,
        ]);

        var result = HealthReportValidator.Validate("api", "n1", new HealthReport([], Golden: golden));

        var paths = result.Errors.Select(e => e.Path).ToList();
        Assert.Contains("golden.window_ms", paths);
        Assert.Contains("golden.edges[0].direction", paths);
        Assert.Contains("golden.edges[0].peer", paths);
        Assert.Contains("golden.edges[0].requests", paths);
        Assert.Contains("golden.edges[0].p50_ms", paths);
        Assert.Contains("golden.edges[1].errors", paths);
        Assert.Contains("golden.edges[1].p99_ms", paths);
        Assert.Contains("golden.edges[2].peer", paths);
        Assert.Contains("golden.edges[3]", paths);
    }

    [Fact]
    public void Validate_GoldenWithoutEdges_SaysTheyAreRequired()
    {
        var result = HealthReportValidator.Validate("api", "n1", new HealthReport([], Golden: new GoldenMetrics(1000, null)));

        Assert.Equal("golden.edges", Assert.Single(result.Errors).Path);
    }

    [Theory]
    [InlineData(0, 0, 1.0)]
    [InlineData(4, 4, 1.0)]
    [InlineData(5, 5, 0.0)]
    [InlineData(100, 10, 0.9)]
    public void SuccessFactor_RequestsAndErrors_OneMinusErrorRateFromFiveRequests(long requests, long errors, double expected)
    {
        Assert.Equal(expected, HealthScore.SuccessFactor(requests, errors), 10);
    }
}
