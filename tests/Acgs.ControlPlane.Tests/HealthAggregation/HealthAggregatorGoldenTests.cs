// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Health;
using Acgs.ControlPlane.HealthAggregation;
using Microsoft.Extensions.Time.Testing;

namespace Acgs.ControlPlane.Tests.HealthAggregation;

/// <summary>The golden metrics in the aggregated health: success rate in the score, edges merged across nodes, silence.</summary>
public sealed class HealthAggregatorGoldenTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private static HealthReport Report(string open, params EdgeMetrics[] edges)
    {
        var clusters = new List<ClusterHealth?> { new("audit-ledger", "closed"), new("vector-search", open) };
        return new HealthReport(clusters, Golden: new GoldenMetrics(5000, edges));
    }

    private static EdgeMetrics Out(string peer, long requests, long errors, double p99 = 2) => new(EdgeMetrics.Outbound, peer, requests, errors, 1, p99);

    private static EdgeMetrics In(string peer, long requests, long errors, double p99 = 2) => new(EdgeMetrics.Inbound, peer, requests, errors, 1, p99);

    [Fact]
    public void Report_CallerBreakerOpenOnRepeated503s_MeshNotHealthy()
    {
        var aggregator = new HealthAggregator(Interval, new FakeTimeProvider());
        foreach (var service in new[] { "adaptive-governance", "audit-ledger", "constraint-generation", "rust-message-bus", "vector-search" })
        {
            aggregator.Report(service, service + "-1", Report("closed", In("frontend", 100, 0)));
        }

        // without golden metrics this is the mesh: one open breaker of 12, score 0.917, "healthy"
        aggregator.Report("deliberation-layer", "d1", Report("open", Out("vector-search", 12, 12), Out("audit-ledger", 3, 0)));

        var caller = aggregator.Service("deliberation-layer")!;
        var mesh = aggregator.Mesh();
        Assert.Equal(0.2, caller.SuccessRate!.Value, 10);
        Assert.Equal(0.5 * 0.2, caller.Score, 10);
        Assert.Equal("critical", caller.Status);
        Assert.Equal(0.2, mesh.SuccessFactor, 10);
        Assert.Equal(11.0 / 12 * 0.2, mesh.Score, 10);
        Assert.NotEqual("healthy", mesh.Status);
        var edge = Assert.Single(mesh.Edges, e => e.Source == "deliberation-layer" && e.Destination == "vector-search");
        Assert.Equal(("source", 12L, 12L, 0.0, 2.4), (edge.ReportedBy, edge.Requests, edge.Errors, edge.SuccessRate, edge.Rps));
    }

    [Fact]
    public void Report_FewRequestsAllFailing_ScoreUntouched()
    {
        var aggregator = new HealthAggregator(Interval, new FakeTimeProvider());

        aggregator.Report("api", "n1", Report("closed", Out("orders", HealthScore.MinRequests - 1, HealthScore.MinRequests - 1)));

        var view = aggregator.Service("api")!;
        Assert.Equal(0.0, view.SuccessRate!.Value, 10);
        Assert.Equal(1.0, view.Score, 10);
        Assert.Equal("healthy", aggregator.Mesh().Status);
    }

    [Fact]
    public void Report_TwoNodes_InboundSummedAndWorstP99()
    {
        var aggregator = new HealthAggregator(Interval, new FakeTimeProvider());

        aggregator.Report("orders", "n1", Report("closed", In("frontend", 50, 0, p99: 3), In("unauthenticated", 10, 1, p99: 9)));
        aggregator.Report("orders", "n2", Report("closed", In("frontend", 50, 4, p99: 7)));

        var view = aggregator.Service("orders")!;
        Assert.Equal(110 / 5.0, view.Rps, 10);
        Assert.Equal(9, view.P99Ms);
        Assert.Equal(1 - (5 / 110.0), view.SuccessRate!.Value, 10);
        var frontend = Assert.Single(view.Edges, e => e.Source == "frontend");
        Assert.Equal(("orders", "destination", 100L, 4L, 7.0), (frontend.Destination, frontend.ReportedBy, frontend.Requests, frontend.Errors, frontend.P99Ms));
    }

    [Fact]
    public void Report_NoGolden_NoSuccessRateAndTheBreakerScore()
    {
        var aggregator = new HealthAggregator(Interval, new FakeTimeProvider());

        aggregator.Report("orders", "n1", new HealthReport([new ClusterHealth("a", "closed"), new ClusterHealth("b", "open")]));

        var view = aggregator.Service("orders")!;
        Assert.Null(view.SuccessRate);
        Assert.Null(view.P99Ms);
        Assert.Empty(view.Edges);
        Assert.Equal(0.5, view.Score, 10);
    }

    [Fact]
    public void Evaluate_NodeSilent_ItsTrafficNoLongerCounts()
    {
        var time = new FakeTimeProvider();
        var aggregator = new HealthAggregator(Interval, time);
        aggregator.Report("orders", "n1", Report("closed", In("frontend", 100, 100)));
        aggregator.Report("orders", "n2", Report("closed", In("frontend", 100, 0)));
        time.Advance(Interval * 2);
        aggregator.Report("orders", "n2", Report("closed", In("frontend", 100, 0)));
        time.Advance(Interval * 2);

        var view = aggregator.Service("orders")!;

        Assert.Equal(1.0, view.SuccessRate!.Value, 10);
        Assert.Equal(100, Assert.Single(view.Edges).Requests);
    }
}
