// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Health;
using Acgs.ControlPlane.HealthAggregation;
using Microsoft.Extensions.Time.Testing;

namespace Acgs.ControlPlane.Tests.HealthAggregation;

/// <summary><see cref="HealthAggregator.ClusterBreakers"/>: one breaker per reporting live node, by cluster name.</summary>
public sealed class HealthAggregatorClusterBreakersTests
{
    private static HealthReport Report(params (string Name, string State)[] clusters) =>
        new([.. clusters.Select(c => (ClusterHealth?)new ClusterHealth(c.Name, c.State))], null, null);

    [Fact]
    public void ClusterBreakers_SeveralServicesReportIt_CountsEachLiveNodesState()
    {
        var time = new FakeTimeProvider();
        var aggregator = new HealthAggregator(TimeSpan.FromSeconds(5), time);
        aggregator.Report("frontend", "f1", Report(("checkout-v2", "open"), ("audit", "closed")));
        aggregator.Report("frontend", "f2", Report(("checkout-v2", "half_open")));
        aggregator.Report("billing", "b1", Report(("checkout-v2", "closed")));
        aggregator.Report("billing", "b2", Report(("audit", "open")));

        var counts = aggregator.ClusterBreakers("checkout-v2");

        Assert.Equal((1, 1, 1), (counts.Closed, counts.HalfOpen, counts.Open));
        Assert.Equal(0, aggregator.ClusterBreakers("nobody-calls-this").Total);
    }

    [Fact]
    public void ClusterBreakers_NodeFallsSilent_NoLongerCounted()
    {
        var time = new FakeTimeProvider();
        var aggregator = new HealthAggregator(TimeSpan.FromSeconds(5), time);
        aggregator.Report("frontend", "f1", Report(("checkout-v2", "open")));
        time.Advance(TimeSpan.FromSeconds(10));
        aggregator.Report("frontend", "f2", Report(("checkout-v2", "closed")));
        time.Advance(TimeSpan.FromSeconds(5));

        var counts = aggregator.ClusterBreakers("checkout-v2");

        Assert.Equal((1, 0), (counts.Closed, counts.Open));
    }

    [Fact]
    public void ClusterBreakers_NewReport_ReplacesTheNodesPreviousStates()
    {
        var aggregator = new HealthAggregator(TimeSpan.FromSeconds(5), new FakeTimeProvider());
        aggregator.Report("frontend", "f1", Report(("checkout-v2", "open")));
        aggregator.Report("frontend", "f1", Report(("checkout-v2", "closed")));

        Assert.Equal((1, 0), (aggregator.ClusterBreakers("checkout-v2").Closed, aggregator.ClusterBreakers("checkout-v2").Open));
    }
}
