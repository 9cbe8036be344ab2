// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Health;
using Acgs.ControlPlane.HealthAggregation;
using Acgs.ControlPlane.Telemetry;
using Microsoft.Extensions.Time.Testing;

namespace Acgs.ControlPlane.Tests.HealthAggregation;

/// <summary>Scores, thresholds, silence, history and change events of the in-memory aggregator (fake time).</summary>
public sealed class HealthAggregatorTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private static HealthReport Report(int closed, int halfOpen = 0, int open = 0)
    {
        var clusters = new List<ClusterHealth?>();
        for (var i = 0; i < closed; i++)
        {
            clusters.Add(new ClusterHealth("c" + i, "closed"));
        }

        for (var i = 0; i < halfOpen; i++)
        {
            clusters.Add(new ClusterHealth("h" + i, "half_open"));
        }

        for (var i = 0; i < open; i++)
        {
            clusters.Add(new ClusterHealth("o" + i, "open"));
        }

        return new HealthReport(clusters, null, null);
    }

    [Fact]
    public void Report_SevenOfTenClosed_HealthyAtBoundary()
    {
        var aggregator = new HealthAggregator(Interval, new FakeTimeProvider());

        aggregator.Report("orders", "n1", Report(7, 0, 3));

        var view = aggregator.Service("orders")!;
        Assert.Equal("healthy", view.Status);
        Assert.Equal(0.7, view.Score, 10);
        aggregator.Report("orders", "n1", Report(6, 0, 4));
        Assert.Equal("degraded", aggregator.Service("orders")!.Status);
        aggregator.Report("orders", "n1", Report(4, 2, 4));
        Assert.Equal("degraded", aggregator.Service("orders")!.Status);
        aggregator.Report("orders", "n1", Report(4, 1, 5));
        Assert.Equal("critical", aggregator.Service("orders")!.Status);
    }

    [Fact]
    public void Report_TwoNodesAndTwoServices_SumsPerServiceAndMesh()
    {
        var aggregator = new HealthAggregator(Interval, new FakeTimeProvider());

        aggregator.Report("orders", "n1", Report(2, 0, 0));
        aggregator.Report("orders", "n2", Report(0, 0, 2));
        aggregator.Report("billing", "b1", Report(3, 1, 0));

        var orders = aggregator.Service("orders")!;
        Assert.Equal(4, orders.Total);
        Assert.Equal(0.5, orders.Score, 10);
        Assert.Equal(["n1", "n2"], orders.Nodes.Select(n => n.Node).ToArray());
        var mesh = aggregator.Mesh();
        Assert.Equal(8, mesh.Total);
        Assert.Equal((5 + 0.5) / 8, mesh.Score, 10);
        Assert.Equal(2, mesh.Services);
        Assert.Equal(3, mesh.Nodes);
        Assert.Equal(["billing", "orders"], aggregator.Services().Select(s => s.Service).ToArray());
    }

    [Fact]
    public void Mesh_NoReports_HealthyScoreOne()
    {
        var mesh = new HealthAggregator(Interval, new FakeTimeProvider()).Mesh();

        Assert.Equal("healthy", mesh.Status);
        Assert.Equal(1.0, mesh.Score);
        Assert.Empty(mesh.History);
    }

    [Fact]
    public void Evaluate_NodeSilentThreeIntervals_CountsOpenThenRecoversOnReport()
    {
        var time = new FakeTimeProvider();
        var aggregator = new HealthAggregator(Interval, time);
        aggregator.Report("orders", "n1", Report(4));
        aggregator.Report("orders", "n2", Report(4));

        time.Advance(TimeSpan.FromSeconds(10));
        aggregator.Report("orders", "n1", Report(4));
        time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Equal(1.0, aggregator.Service("orders")!.Score);
        time.Advance(TimeSpan.FromSeconds(0.1));
        var silent = aggregator.Service("orders")!;
        Assert.Equal(0.5, silent.Score, 10);
        Assert.Equal("degraded", silent.Status);
        Assert.True(silent.Nodes.Single(n => n.Node == "n2").Silent);
        Assert.Equal(4, silent.Nodes.Single(n => n.Node == "n2").Open);
        Assert.Equal(1, aggregator.Mesh().SilentNodes);

        aggregator.Report("orders", "n2", Report(4));

        Assert.Equal("healthy", aggregator.Service("orders")!.Status);
        Assert.Equal(0, aggregator.Mesh().SilentNodes);
    }

    [Fact]
    public void Evaluate_SilentNodeWithoutClusters_CountsOneOpen()
    {
        var time = new FakeTimeProvider();
        var aggregator = new HealthAggregator(Interval, time);
        aggregator.Report("orders", "n1", Report(0));
        Assert.Equal("healthy", aggregator.Service("orders")!.Status);

        time.Advance(TimeSpan.FromSeconds(15));

        Assert.Equal("critical", aggregator.Service("orders")!.Status);
    }

    [Fact]
    public void StatusChanged_EachChange_RaisedOnce()
    {
        var time = new FakeTimeProvider();
        var aggregator = new HealthAggregator(Interval, time);
        var changes = new List<HealthStatusChange>();
        aggregator.StatusChanged += (_, change) => changes.Add(change);

        aggregator.Report("orders", "n1", Report(4));
        aggregator.Report("orders", "n1", Report(4));
        aggregator.Evaluate();
        aggregator.Report("orders", "n1", Report(0, 0, 4));
        aggregator.Report("orders", "n1", Report(0, 1, 3));
        aggregator.Evaluate();
        _ = aggregator.Services();

        Assert.Equal(3, changes.Count);
        Assert.Equal(("orders", (HealthStatus?)null, HealthStatus.Healthy), (changes[0].Service, changes[0].Previous, changes[0].Current));
        Assert.Equal(("orders", (HealthStatus?)HealthStatus.Healthy, HealthStatus.Critical), (changes[1].Service, changes[1].Previous, changes[1].Current));
        Assert.Equal((null, (HealthStatus?)HealthStatus.Healthy, HealthStatus.Critical), (changes[2].Service, changes[2].Previous, changes[2].Current));
        Assert.Equal(2, aggregator.History("orders").Count);
        Assert.Single(aggregator.History(null));
    }

    [Fact]
    public void History_OlderThanFiveMinutes_Dropped()
    {
        var time = new FakeTimeProvider();
        var aggregator = new HealthAggregator(Interval, time);
        aggregator.Report("orders", "n1", Report(4));
        time.Advance(TimeSpan.FromMinutes(2));
        aggregator.Report("orders", "n1", Report(0, 0, 4));
        Assert.Equal(2, aggregator.History("orders").Count);

        time.Advance(TimeSpan.FromMinutes(3.5));
        aggregator.Report("orders", "n1", Report(0, 0, 4));

        var history = aggregator.History("orders");
        Assert.Single(history);
        Assert.Equal(HealthStatus.Critical, history[0].Current);
        Assert.Single(aggregator.Service("orders")!.History);
        time.Advance(TimeSpan.FromMinutes(5.1));
        aggregator.Report("orders", "n1", Report(0, 0, 4));
        Assert.Empty(aggregator.History("orders"));
        Assert.Empty(aggregator.History(null));
    }

    [Fact]
    public void History_ManyChanges_BoundedToMaxHistory()
    {
        var aggregator = new HealthAggregator(Interval, new FakeTimeProvider());
        for (var i = 0; i < HealthAggregator.MaxHistory + 10; i++)
        {
            aggregator.Report("orders", "n1", i % 2 == 0 ? Report(1) : Report(0, 0, 1));
        }

        Assert.Equal(HealthAggregator.MaxHistory, aggregator.History("orders").Count);
        Assert.Equal(HealthAggregator.MaxHistory, aggregator.History(null).Count);
    }

    [Fact]
    public void Report_Invalid_ThrowsAndChangesNothing()
    {
        var aggregator = new HealthAggregator(Interval, new FakeTimeProvider());

        Assert.Throws<ArgumentException>(() => aggregator.Report("orders", "n1", new HealthReport([new ClusterHealth("a", "weird")], null, null)));

        Assert.Null(aggregator.Service("orders"));
        Assert.Empty(aggregator.Services());
    }

    [Fact]
    public void Evaluate_WithMetrics_SetsGauges()
    {
        var metrics = new ControlPlaneMetrics();
        var aggregator = new HealthAggregator(Interval, new FakeTimeProvider(), metrics);

        aggregator.Report("orders", "n1", Report(1, 0, 1));

        Assert.Equal(0.5, metrics.ServiceHealthScore.WithLabels("orders").Value, 10);
        Assert.Equal(1, metrics.ServiceHealthStatus.WithLabels("orders").Value);
        Assert.Equal(0.5, metrics.MeshHealthScore.Value, 10);
        Assert.Equal(1, metrics.MeshHealthStatus.Value);
    }

    [Fact]
    public void Constructor_ForgetAfterDefault_SixtyIntervals()
    {
        var aggregator = new HealthAggregator(Interval, new FakeTimeProvider());

        Assert.Equal(TimeSpan.FromMinutes(5), aggregator.ForgetAfter);
        Assert.Equal(TimeSpan.FromSeconds(42), new HealthAggregator(Interval, new FakeTimeProvider(), forgetAfter: TimeSpan.FromSeconds(42)).ForgetAfter);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(15)]
    public void Constructor_ForgetAfterNotAboveSilenceLimit_Throws(double seconds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HealthAggregator(Interval, new FakeTimeProvider(), forgetAfter: TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Evaluate_NodeSilentUntilForgetLimit_ForgottenAtLimitNotBefore()
    {
        var time = new FakeTimeProvider();
        var aggregator = new HealthAggregator(Interval, time);
        aggregator.Report("orders", "n1", Report(4));
        aggregator.Report("orders", "n2", Report(4));

        time.Advance(aggregator.ForgetAfter - TimeSpan.FromTicks(1));
        aggregator.Report("orders", "n2", Report(4));
        var before = aggregator.Service("orders")!;
        Assert.Equal(["n1", "n2"], before.Nodes.Select(n => n.Node).ToArray());
        Assert.True(before.Nodes[0].Silent);
        Assert.Equal("degraded", before.Status);

        time.Advance(TimeSpan.FromTicks(1));
        var after = aggregator.Service("orders")!;

        Assert.Equal(["n2"], after.Nodes.Select(n => n.Node).ToArray());
        Assert.Equal("healthy", after.Status);
        Assert.Equal(1.0, after.Score);
        Assert.Equal(1, aggregator.Mesh().Nodes);
        Assert.Equal(0, aggregator.Mesh().SilentNodes);
    }

    [Fact]
    public void Evaluate_CustomForgetAfter_ForgetsLastNodeAndService()
    {
        var time = new FakeTimeProvider();
        var aggregator = new HealthAggregator(Interval, time, forgetAfter: TimeSpan.FromSeconds(20));
        aggregator.Report("orders", "n1", Report(4));

        time.Advance(TimeSpan.FromSeconds(19.9));
        Assert.Equal("critical", aggregator.Service("orders")!.Status);
        time.Advance(TimeSpan.FromSeconds(0.1));

        Assert.Null(aggregator.Service("orders"));
        Assert.Empty(aggregator.Services());
        Assert.Empty(aggregator.History("orders"));
    }

    [Fact]
    public void Mesh_SilentServiceForgotten_ReturnsToHealthyAndRemovesGauges()
    {
        var time = new FakeTimeProvider();
        var metrics = new ControlPlaneMetrics();
        var aggregator = new HealthAggregator(Interval, time, metrics);
        var changes = new List<HealthStatusChange>();
        aggregator.StatusChanged += (_, change) => changes.Add(change);
        aggregator.Report("orders", "n1", Report(1));
        aggregator.Report("billing", "b1", Report(3));
        time.Advance(aggregator.SilenceLimit);
        aggregator.Report("orders", "n1", Report(1));
        Assert.Equal("critical", aggregator.Mesh().Status);
        Assert.Equal(2, metrics.MeshHealthStatus.Value);

        while (aggregator.Service("billing") is not null)
        {
            Assert.True(time.GetUtcNow() - time.Start <= aggregator.ForgetAfter, "billing was never forgotten");
            time.Advance(Interval);
            aggregator.Report("orders", "n1", Report(1));
        }

        var mesh = aggregator.Mesh();
        Assert.Equal(aggregator.ForgetAfter, time.GetUtcNow() - time.Start);
        Assert.Equal("healthy", mesh.Status);
        Assert.Equal(1.0, mesh.Score);
        Assert.Equal((1, 1, 0), (mesh.Services, mesh.Nodes, mesh.SilentNodes));
        Assert.Equal(("critical", "healthy"), (mesh.History[^1].Previous, mesh.History[^1].Current));
        Assert.Equal((null, (HealthStatus?)HealthStatus.Critical, HealthStatus.Healthy), (changes[^1].Service, changes[^1].Previous, changes[^1].Current));
        Assert.DoesNotContain(changes, c => c.Service == "billing" && c.Previous == HealthStatus.Critical);
        Assert.Equal(["orders"], aggregator.Services().Select(s => s.Service).ToArray());
        Assert.Equal(["orders"], metrics.ServiceHealthScore.GetAllLabelValues().Select(l => l[0]).ToArray());
        Assert.Equal(["orders"], metrics.ServiceHealthStatus.GetAllLabelValues().Select(l => l[0]).ToArray());
        Assert.Equal(0, metrics.MeshHealthStatus.Value);
    }

    [Fact]
    public void Forget_KnownNode_RemovedAtOnce()
    {
        var time = new FakeTimeProvider();
        var metrics = new ControlPlaneMetrics();
        var aggregator = new HealthAggregator(Interval, time, metrics);
        aggregator.Report("orders", "n1", Report(4));
        aggregator.Report("orders", "n2", Report(0, 0, 4));
        Assert.Equal("degraded", aggregator.Service("orders")!.Status);

        Assert.True(aggregator.Forget("orders", "n2"));

        Assert.Equal("healthy", aggregator.Service("orders")!.Status);
        Assert.Equal(0, metrics.ServiceHealthStatus.WithLabels("orders").Value);
        Assert.True(aggregator.Forget("orders", "n1"));
        Assert.Null(aggregator.Service("orders"));
        Assert.Empty(metrics.ServiceHealthScore.GetAllLabelValues());
        Assert.Equal(0, aggregator.Mesh().Nodes);
    }

    [Fact]
    public void Forget_UnknownNodeOrService_FalseAndNothingChanges()
    {
        var aggregator = new HealthAggregator(Interval, new FakeTimeProvider());
        aggregator.Report("orders", "n1", Report(4));

        Assert.False(aggregator.Forget("orders", "n9"));
        Assert.False(aggregator.Forget("billing", "n1"));

        Assert.Single(aggregator.Service("orders")!.Nodes);
    }
}
