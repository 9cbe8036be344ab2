// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Net;
using Acgs.Contracts.Config;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Tests.Fixtures;

namespace Acgs.Sidecar.Tests.Config;

/// <summary>Meshed clusters (an <c>identity</c>, mTLS on): https destinations, HTTP/2 by ALPN for every request only with
/// <c>ACGS_MTLS_HOP_PROTOCOL=h2</c> (auto raises HTTP/2 callers' requests per request), and at most
/// <c>ACGS_MTLS_MAX_CONNECTIONS</c> connections per destination.</summary>
public sealed class ProxyConfigBuilderMeshTests
{
    private static ConfigSnapshot Snapshot() => SidecarTestHost.Snapshot() with
    {
        Clusters = ImmutableDictionary<string, ClusterConfig>.Empty
            .Add("orders", new ClusterConfig { Destinations = ["127.0.0.1:1"], Identity = "spiffe://acgs.local/svc/orders" })
            .Add("legacy", new ClusterConfig { Destinations = ["127.0.0.1:2"] }),
        Routes = [new OutboundRoute { Host = "orders", Cluster = "orders" }, new OutboundRoute { Host = "legacy", Cluster = "legacy" }],
    };

    [Theory]
    [InlineData("auto", "1.1")]
    [InlineData("http1", "1.1")]
    [InlineData("h2", "2.0")]
    public void Build_MeshedCluster_HttpsAndRequestVersionFromMeshHop(string hop, string version)
    {
        var result = ProxyConfigBuilder.Build(Snapshot(), SidecarTestHost.Options(1) with { MeshHop = Enum.Parse<MeshHopProtocol>(hop, ignoreCase: true) }, null, mutualTls: true);

        var orders = Assert.Single(result.Clusters, c => c.ClusterId == "orders");
        var legacy = Assert.Single(result.Clusters, c => c.ClusterId == "legacy");
        Assert.StartsWith("https://", orders.Destinations!.Values.Single().Address, StringComparison.Ordinal);
        Assert.Equal(Version.Parse(version), orders.HttpRequest!.Version);
        Assert.Equal(HttpVersion.Version11, legacy.HttpRequest!.Version);
        Assert.StartsWith("http://", legacy.Destinations!.Values.Single().Address, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_MutualTlsOff_MeshHopIgnored()
    {
        var result = ProxyConfigBuilder.Build(Snapshot(), SidecarTestHost.Options(1) with { MeshHop = MeshHopProtocol.H2 }, null, mutualTls: false);

        Assert.All(result.Clusters, c => Assert.Equal(HttpVersion.Version11, c.HttpRequest!.Version));
    }

    [Theory]
    [InlineData(16, "auto", 16)]
    [InlineData(0, "auto", null)]
    [InlineData(8, "http1", 8)]
    [InlineData(16, "h2", null)] // the HTTP/2 hop multiplexes: the HTTP/1.1 pool's bound is not applied to it
    public void Build_MeshedCluster_MaxConnectionsPerServerFromMeshMaxConnections(int max, string hop, int? expected)
    {
        var result = ProxyConfigBuilder.Build(Snapshot(), SidecarTestHost.Options(1) with { MeshMaxConnections = max, MeshHop = Enum.Parse<MeshHopProtocol>(hop, ignoreCase: true) },
            null, mutualTls: true);

        Assert.Equal(expected, Assert.Single(result.Clusters, c => c.ClusterId == "orders").HttpClient?.MaxConnectionsPerServer);
        Assert.Null(Assert.Single(result.Clusters, c => c.ClusterId == "legacy").HttpClient?.MaxConnectionsPerServer);
    }

    [Fact]
    public void Defaults_MeshHop_PerRequestWithWarmPool()
    {
        var options = new SidecarOptions();

        Assert.Equal(MeshHopProtocol.Auto, options.MeshHop);
        Assert.Equal(16, options.MeshMaxConnections);
        Assert.Equal(TimeSpan.FromMilliseconds(50), options.MeshOverflowAfter);
    }
}
