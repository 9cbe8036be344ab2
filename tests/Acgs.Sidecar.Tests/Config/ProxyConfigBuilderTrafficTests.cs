// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using Acgs.Contracts.Config;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Sidecar.TrafficSplit;

namespace Acgs.Sidecar.Tests.Config;

/// <summary>Path-prefix routes, split routes and fault rules as <see cref="ProxyConfigBuilder"/> compiles them.</summary>
public sealed class ProxyConfigBuilderTrafficTests
{
    private static ConfigSnapshot Snapshot() => SidecarTestHost.Snapshot() with
    {
        Clusters = ImmutableDictionary<string, ClusterConfig>.Empty
            .Add("blue", new ClusterConfig { Destinations = ["127.0.0.1:1"] })
            .Add("green", new ClusterConfig { Destinations = ["127.0.0.1:2"] }),
        Routes =
        [
            new OutboundRoute { Host = "orders", Cluster = "blue", WeightedClusters = [new WeightedCluster { Cluster = "blue", Weight = 90 }, new WeightedCluster { Cluster = "green", Weight = 10 }] },
            new OutboundRoute { Host = "orders", PathPrefix = "/v2/", Cluster = "green" },
            new OutboundRoute { Host = "one", Cluster = "blue", WeightedClusters = [new WeightedCluster { Cluster = "blue", Weight = 0 }, new WeightedCluster { Cluster = "green", Weight = 5 }] },
        ],
        FaultRules = [new FaultRule { Inbound = true, PathPrefix = "/slow/", Delay = new FaultDelay { FixedDelayMs = 10 } }, new FaultRule { Cluster = "green", Abort = new FaultAbort { HttpStatus = 503, Percentage = 50 } }],
    };

    [Theory]
    [InlineData(null, "{**catch-all}")]
    [InlineData("/", "{**catch-all}")]
    [InlineData("/api", "/api/{**catch-all}")]
    [InlineData("/api/v1/", "/api/v1/{**catch-all}")]
    [InlineData("/odd{x}", "/odd{{x}}/{**catch-all}")]
    public void PathTemplate_Cases(string? prefix, string expected) => Assert.Equal(expected, ProxyConfigBuilder.PathTemplate(prefix));

    [Fact]
    public void Build_SplitRoute_OneYarpRoutePerPositiveShareWithSameMatch()
    {
        var result = ProxyConfigBuilder.Build(Snapshot(), SidecarTestHost.Options(1), null);

        Assert.Empty(result.Errors);
        var split = result.Routes.Where(r => r.Metadata!.ContainsKey(TrafficSplitMetadata.Key)).ToList();
        Assert.Equal(["blue", "green"], split.Select(r => r.ClusterId!).ToArray());
        Assert.Equal(["0/0/90", "0/1/10"], split.Select(r => r.Metadata![TrafficSplitMetadata.Key]).ToArray());
        Assert.All(split, r => Assert.Equal("{**catch-all}", r.Match.Path));
        Assert.Equal(split[0].Match.Hosts, split[1].Match.Hosts);
        Assert.Single(result.Routes, r => r.Match.Path == "/v2/{**catch-all}" && r.ClusterId == "green");
        Assert.Single(result.Routes, r => r.Match.Hosts?.Contains("one") == true && r.ClusterId == "green" && !r.Metadata!.ContainsKey(TrafficSplitMetadata.Key));
        Assert.Equal(2, result.Faults!.Rules.Length);
        Assert.Equal("inbound|svc-test", result.Faults.Rules[0].ClusterId);
        Assert.Equal("/slow", result.Faults.Rules[0].PathPrefix.Value);
        Assert.Equal(100, result.Faults.Rules[0].DelayPercent);
        Assert.Equal(0, result.Faults.Rules[0].AbortPercent);
        Assert.Equal(50, result.Faults.Rules[1].AbortPercent);
        Assert.Equal(long.MaxValue, result.Faults.Rules[1].ExpiresAtUtcTicks);
    }

    [Fact]
    public void Build_SplitPolicyNotRegistered_PrimaryClusterOnly()
    {
        var result = ProxyConfigBuilder.Build(Snapshot(), SidecarTestHost.Options(1), null, splitEnabled: false);

        Assert.DoesNotContain(result.Routes, r => r.Metadata!.ContainsKey(TrafficSplitMetadata.Key));
        Assert.Single(result.Routes, r => r.Match.Hosts?.Contains("orders") == true && r.Match.Path == "{**catch-all}" && r.ClusterId == "blue");
    }

    [Fact]
    public void Build_NoFaultRules_FaultsNull() =>
        Assert.Null(ProxyConfigBuilder.Build(Snapshot() with { FaultRules = [] }, SidecarTestHost.Options(1), null).Faults);
}
