// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Acgs.Contracts.Health;
using Acgs.Sidecar.Telemetry;
using Microsoft.Extensions.Time.Testing;

namespace Acgs.Sidecar.Tests.Telemetry;

/// <summary>The sidecar's golden metrics per edge: buckets, windows, bounds.</summary>
public sealed class GoldenEdgesTests
{
    private static long Ticks(double milliseconds) => (long)(milliseconds * Stopwatch.Frequency / 1000);

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(999)]
    [InlineData(1_000)]
    [InlineData(123_456)]
    [InlineData(60_000_000)]
    public void IndexOf_AnyValue_BucketHoldsItWithinOneEighth(long microseconds)
    {
        var index = LatencyBuckets.IndexOf(microseconds);

        var upper = LatencyBuckets.UpperBound(index);
        var lower = index == 0 ? 0 : LatencyBuckets.UpperBound(index - 1) + 1;
        Assert.InRange(microseconds, lower, upper);
        Assert.True(upper - lower <= Math.Max(0, upper / 8), $"bucket {index} spans {lower}-{upper}");
    }

    [Fact]
    public void IndexOf_BeyondTheRange_LastBucket()
    {
        Assert.Equal(LatencyBuckets.Count - 1, LatencyBuckets.IndexOf(long.MaxValue));
        Assert.Equal(0, LatencyBuckets.IndexOf(-5));
    }

    [Fact]
    public void Collect_MixedTraffic_CountsErrorsAndPercentilesPerEdge()
    {
        var time = new FakeTimeProvider();
        var golden = new GoldenEdges(time);
        var orders = golden.Outbound("orders");
        for (var i = 0; i < 98; i++)
        {
            orders.Record(200, Ticks(1));
        }

        orders.Record(503, Ticks(50));
        orders.Record(500, Ticks(50));
        golden.Inbound("spiffe://acgs.local/svc/frontend").Record(200, Ticks(2));
        time.Advance(TimeSpan.FromSeconds(2));

        var metrics = golden.Collect();

        Assert.Equal(2000, metrics.WindowMs);
        var edge = Assert.Single(metrics.Edges!, e => e!.Direction == EdgeMetrics.Outbound)!;
        Assert.Equal(("orders", 100L, 2L), (edge.Peer, edge.Requests, edge.Errors));
        Assert.InRange(edge.P50Ms, 1.0, 1.125);
        Assert.InRange(edge.P99Ms, 50.0, 56.25);
        Assert.Equal(50.0, metrics.Rate(edge.Requests));
        var inbound = Assert.Single(metrics.Edges!, e => e!.Direction == EdgeMetrics.Inbound)!;
        Assert.Equal("frontend", inbound.Peer);
        Assert.True(HealthReportValidator.Validate("svc", "node", new HealthReport([], Golden: metrics)).IsValid);
    }

    [Fact]
    public void Collect_AfterCommit_OnlyTheNewWindow()
    {
        var golden = new GoldenEdges(new FakeTimeProvider());
        var edge = golden.Outbound("orders");
        edge.Record(503, Ticks(1));
        golden.Collect();
        golden.Commit();
        edge.Record(200, Ticks(1));

        var metrics = golden.Collect();

        var only = Assert.Single(metrics.Edges!)!;
        Assert.Equal((1L, 0L), (only.Requests, only.Errors));
    }

    [Fact]
    public void Collect_WithoutCommit_TheRefusedWindowIsReportedAgain()
    {
        var golden = new GoldenEdges(new FakeTimeProvider());
        golden.Outbound("orders").Record(503, Ticks(1));
        golden.Collect(); // the report was refused: no Commit

        var metrics = golden.Collect();

        Assert.Equal(1L, Assert.Single(metrics.Edges!)!.Errors);
    }

    [Fact]
    public void Outbound_PastTheBound_SharesTheOtherEdge()
    {
        var golden = new GoldenEdges(new FakeTimeProvider());
        for (var i = 0; i < GoldenEdges.MaxEdges + 10; i++)
        {
            golden.Outbound("cluster-" + i).Record(200, 0);
        }

        var metrics = golden.Collect();

        Assert.Equal(GoldenEdges.MaxEdges, metrics.Edges!.Count);
        Assert.Equal(11L, metrics.Edges.Single(e => e!.Peer == GoldenEdges.Other)!.Requests);
    }

    [Fact]
    public void Collect_NoTraffic_NoEdges()
    {
        var golden = new GoldenEdges(new FakeTimeProvider());
        golden.Outbound("orders");

        Assert.Empty(golden.Collect().Edges!);
    }
}
