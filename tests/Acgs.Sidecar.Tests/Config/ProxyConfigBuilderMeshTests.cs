// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Net;
using Acgs.Contracts.Config;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Tests.Fixtures;

namespace Acgs.Sidecar.Tests.Config;

/// <summary>Meshed clusters (an <c>identity</c>, mTLS on): https destinations, HTTP/2 by ALPN only with <c>ACGS_MTLS_HTTP2</c>, and at most
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
    [InlineData(false, "1.1")]
    [InlineData(true, "2.0")]
    public void Build_MeshedCluster_HttpsAndRequestVersionFromMeshHttp2(bool http2, string version)
    {
        var result = ProxyConfigBuilder.Build(Snapshot(), SidecarTestHost.Options(1) with { MeshHttp2 = http2 }, null, mutualTls: true);

        var orders = Assert.Single(result.Clusters, c => c.ClusterId == "orders");
        var legacy = Assert.Single(result.Clusters, c => c.ClusterId == "legacy");
        Assert.StartsWith("https://", orders.Destinations!.Values.Single().Address, StringComparison.Ordinal);
        Assert.Equal(Version.Parse(version), orders.HttpRequest!.Version);
        Assert.Equal(HttpVersion.Version11, legacy.HttpRequest!.Version);
        Assert.StartsWith("http://", legacy.Destinations!.Values.Single().Address, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_MutualTlsOff_MeshHttp2Ignored()
    {
        var result = ProxyConfigBuilder.Build(Snapshot(), SidecarTestHost.Options(1) with { MeshHttp2 = true }, null, mutualTls: false);

        Assert.All(result.Clusters, c => Assert.Equal(HttpVersion.Version11, c.HttpRequest!.Version));
    }

    [Theory]
    [InlineData(16, 16)]
    [InlineData(0, null)]
    public void Build_MeshedCluster_MaxConnectionsPerServerFromMeshMaxConnections(int max, int? expected)
    {
        var result = ProxyConfigBuilder.Build(Snapshot(), SidecarTestHost.Options(1) with { MeshMaxConnections = max }, null, mutualTls: true);

        Assert.Equal(expected, Assert.Single(result.Clusters, c => c.ClusterId == "orders").HttpClient?.MaxConnectionsPerServer);
        Assert.Null(Assert.Single(result.Clusters, c => c.ClusterId == "legacy").HttpClient?.MaxConnectionsPerServer);
    }

    [Fact]
    public void Defaults_MeshHop_Http11WithBoundedPool()
    {
        var options = new SidecarOptions();

        Assert.True(options.MeshHttp2);
        Assert.Equal(100, options.MeshMaxConnections);
    }
}
