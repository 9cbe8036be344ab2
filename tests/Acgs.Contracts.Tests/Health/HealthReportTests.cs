// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.Contracts.Health;
using Acgs.Contracts.Serialization;
using Acgs.Core.CircuitBreaker;
using Xunit;

namespace Acgs.Contracts.Tests.Health;

public sealed class HealthReportTests
{
    [Fact]
    public void Of_Breakers_WritesTheWireFormatSidecarsHaveAlwaysSent()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var registry = new CircuitBreakerRegistry(time);
        registry.Get("billing");
        var search = registry.Get("search");
        for (var i = 0; i < registry.OptionsFor("search").FailMax; i++)
        {
            search.Record(search.TryAcquire(), CircuitOutcome.Failure);
        }

        var json = JsonSerializer.Serialize(HealthReport.Of(registry.Snapshot()), AcgsJsonContext.Default.HealthReport);

        Assert.Equal("""{"clusters":[{"name":"billing","state":"closed"},{"name":"search","state":"open"}]}""", json);
    }

    [Fact]
    public void Read_HandWrittenBodyWithTotalsAndUnknownField_Reads()
    {
        const string Json = """{"clusters":[{"name":"orders","state":"half_open"}],"requests_total":10,"errors_total":1,"added_later":true}""";

        var report = JsonSerializer.Deserialize(Json, AcgsJsonContext.Default.HealthReport)!;

        Assert.Equal(new ClusterHealth("orders", "half_open"), Assert.Single(report.Clusters!));
        Assert.Equal(10, report.RequestsTotal);
        Assert.Equal(1, report.ErrorsTotal);
        Assert.True(HealthReportValidator.Validate("orders", "n1", report).IsValid);
    }

    [Fact]
    public void Validate_EveryProblem_ReportedTogether()
    {
        ClusterHealth?[] clusters = [new("ok", "closed"), new("", "closed"), new("ok", "broken"), null, new(new string('x', 254), "open"), new("ok", "open")];

        var result = HealthReportValidator.Validate("Bad Name", "", new HealthReport(clusters, -1, -2));

        Assert.Equal(
            [
                "service", "node", "requests_total", "errors_total", "clusters[1].name", "clusters[2].name", "clusters[2].state", "clusters[3]",
                "clusters[4].name", "clusters[5].name",
            ],
            result.Errors.Select(e => e.Path));
        Assert.Contains("clusters[5].name: 'ok' is listed twice", result.Messages);
    }

    [Fact]
    public void Validate_NoBodyOrNoClusters_SaysWhatIsRequired()
    {
        Assert.Equal(["body: a JSON object with clusters is required"], HealthReportValidator.Validate("orders", "n1", null).Messages);
        Assert.Equal(["clusters: is required (use [] for none)"], HealthReportValidator.Validate("orders", "n1", new HealthReport(null)).Messages);
        Assert.True(HealthReportValidator.Validate("orders", "n1", new HealthReport([])).IsValid);
    }

    [Fact]
    public void Validate_TooManyClusters_Rejected()
    {
        var clusters = Enumerable.Range(0, HealthReportValidator.MaxClusters + 1).Select(i => (ClusterHealth?)new ClusterHealth("c" + i, "closed")).ToList();

        Assert.Equal(["clusters: at most 1024 clusters per report"], HealthReportValidator.Validate("orders", "n1", new HealthReport(clusters)).Messages);
        Assert.True(HealthReportValidator.Validate("orders", "n1", new HealthReport(clusters[..HealthReportValidator.MaxClusters], 5, 1)).IsValid);
    }
}
