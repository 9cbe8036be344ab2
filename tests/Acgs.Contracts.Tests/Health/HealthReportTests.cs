// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.Contracts.Health;
using Acgs.Contracts.Serialization;
using Acgs.Core.CircuitBreaker;
using Xunit;

namespace Acgs.Contracts.Tests.Health;

public sealed class HealthReportTests
{
    private static HealthReport Valid() => new()
    {
        NodeId = "sidecar-audit-ledger-0",
        Service = "audit-ledger",
        Timestamp = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero),
        ReportIntervalSeconds = 5,
        Clusters =
        [
            new ClusterHealth { Cluster = "inbound|audit-ledger", State = CircuitState.Closed },
            new ClusterHealth { Cluster = "policy-registry", State = CircuitState.HalfOpen },
            new ClusterHealth { Cluster = "opa-client", State = CircuitState.Open },
        ],
        Metrics = new GoldenMetrics { RequestsPerSecond = 6100.5, ErrorRate = 0.01, P50Ms = 0.2, P99Ms = 0.9 },
    };

    [Fact]
    public void RoundTrip_UsesSnakeCaseNamesAndStates()
    {
        var json = JsonSerializer.Serialize(Valid(), AcgsJsonContext.Default.HealthReport);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;

        Assert.Equal(
            ["clusters", "metrics", "node_id", "report_interval_seconds", "service", "timestamp"],
            root.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["closed", "half_open", "open"], root.GetProperty("clusters").EnumerateArray().Select(c => c.GetProperty("state").GetString()));
        Assert.Equal(["requests_per_second", "error_rate", "p50_ms", "p99_ms"], root.GetProperty("metrics").EnumerateObject().Select(p => p.Name));
        Assert.Equal("2026-11-26T12:00:00+00:00", root.GetProperty("timestamp").GetString());

        var back = JsonSerializer.Deserialize(json, AcgsJsonContext.Default.HealthReport)!;
        Assert.Equal(Valid().Timestamp, back.Timestamp);
        Assert.Equal(Valid().Metrics, back.Metrics);
        Assert.Equal<ClusterHealth>(Valid().Clusters, back.Clusters);
        Assert.Equal(json, JsonSerializer.Serialize(back, AcgsJsonContext.Default.HealthReport));
    }

    [Theory]
    [InlineData("""{"node_id":"n","service":"s","clusters":[{"cluster":"c","state":2}]}""")]
    [InlineData("""{"node_id":"n","service":"s","clusters":[{"cluster":"c","state":"broken"}]}""")]
    [InlineData("""{"node_id":"n","service":"s","unknown":true}""")]
    public void Read_BadStateOrUnknownField_Throws(string json)
    {
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, AcgsJsonContext.Default.HealthReport));
    }

    [Fact]
    public void Validate_Valid_HasNoErrors()
    {
        Assert.True(HealthReportValidator.Validate(Valid()).IsValid);
        Assert.True(HealthReportValidator.Validate(Valid() with { Metrics = null, Clusters = [] }).IsValid);
    }

    [Fact]
    public void Validate_EveryProblem_ReportedTogether()
    {
        var report = new HealthReport
        {
            NodeId = "node 1",
            Service = "",
            ReportIntervalSeconds = 0,
            Clusters =
            [
                new ClusterHealth { Cluster = "a", State = CircuitState.Closed },
                new ClusterHealth { Cluster = "a", State = (CircuitState)7 },
                new ClusterHealth { Cluster = "", State = CircuitState.Open },
            ],
            Metrics = new GoldenMetrics { RequestsPerSecond = -1, ErrorRate = 1.5, P50Ms = 5, P99Ms = 1 },
        };

        var result = HealthReportValidator.Validate(report);

        Assert.Equal(
            [
                "node_id", "service", "timestamp", "report_interval_seconds",
                "clusters[1].cluster", "clusters[1].state", "clusters[2].cluster",
                "metrics.requests_per_second", "metrics.error_rate", "metrics.p99_ms",
            ],
            result.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Read_EmptyObject_KeepsDeclaredDefaults()
    {
        var report = JsonSerializer.Deserialize("{}", AcgsJsonContext.Default.HealthReport)!;

        Assert.Equal(5, report.ReportIntervalSeconds);
        Assert.Empty(report.Clusters);
        Assert.Equal("", report.NodeId);
    }

    [Fact]
    public void Validate_Null_IsOneError()
    {
        Assert.Single(HealthReportValidator.Validate(null).Errors);
    }
}
