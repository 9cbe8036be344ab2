// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using Acgs.Contracts.Config;
using Acgs.Sidecar.Config;

namespace Acgs.Sidecar.Tests.Config;

public sealed class DestinationGraceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private static ConfigSnapshot WithB(string version) => new()
    {
        Version = version,
        ServiceName = "svc-a",
        Clusters = ImmutableDictionary<string, ClusterConfig>.Empty.Add("svc-b", new ClusterConfig { Destinations = ["http://127.0.0.1:15006"] }),
        Routes = [new OutboundRoute { Host = "svc-b", Cluster = "svc-b" }],
    };

    private static ConfigSnapshot WithoutB(string version) => new() { Version = version, ServiceName = "svc-a" };

    [Fact]
    public void Apply_SnapshotDropsUsedDestination_KeptUntilGraceEnds()
    {
        var grace = new DestinationGrace(TimeSpan.FromSeconds(60));

        var held = grace.Apply(WithB("v1"), WithoutB("v2"), T0);
        Assert.Equal(["http://127.0.0.1:15006"], held.Clusters["svc-b"].Destinations.ToArray());
        Assert.Single(held.Routes);
        Assert.Equal("v2", held.Version);
        Assert.Equal(T0.AddSeconds(60), grace.NextExpiry);

        var stillHeld = grace.Apply(held, WithoutB("v3"), T0.AddSeconds(59));
        Assert.True(stillHeld.Clusters.ContainsKey("svc-b"));

        var dropped = grace.Apply(stillHeld, WithoutB("v3"), T0.AddSeconds(60));
        Assert.False(dropped.Clusters.ContainsKey("svc-b"));
        Assert.Empty(dropped.Routes);
        Assert.Null(grace.NextExpiry);
    }

    [Fact]
    public void Apply_EndpointsReportedAgain_HoldEnds()
    {
        var grace = new DestinationGrace(TimeSpan.FromSeconds(60));
        var held = grace.Apply(WithB("v1"), WithoutB("v2"), T0);

        var incoming = WithB("v3");
        var back = grace.Apply(held, incoming, T0.AddSeconds(5));

        Assert.Same(incoming, back);
        Assert.Empty(grace.Held);
        Assert.Null(grace.NextExpiry);
        var later = grace.Apply(back, WithoutB("v4"), T0.AddSeconds(100));
        Assert.True(later.Clusters.ContainsKey("svc-b")); // a new drop starts a new grace
    }

    [Fact]
    public void Apply_GraceOff_SnapshotAppliedAsItIs()
    {
        var grace = new DestinationGrace(TimeSpan.Zero);
        var incoming = WithoutB("v2");

        Assert.Same(incoming, grace.Apply(WithB("v1"), incoming, T0));
    }
}
