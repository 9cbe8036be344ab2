// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using Acgs.Contracts.Config;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Outbound;

namespace Acgs.Sidecar.Tests.Outbound;

/// <summary>The Kubernetes DNS forms a route host is registered under, and the settings that shape them.</summary>
public sealed class ServiceHostFormsTests
{
    [Theory]
    [InlineData("orders", "orders|orders.shop|orders.shop.svc|orders.shop.svc.cluster.local")]
    [InlineData("orders:8080", "orders:8080|orders.shop:8080|orders.shop.svc:8080|orders.shop.svc.cluster.local:8080")]
    [InlineData("orders.shop", "orders.shop|orders.shop.svc|orders.shop.svc.cluster.local|orders")]
    [InlineData("pay.billing", "pay.billing|pay.billing.svc|pay.billing.svc.cluster.local")]
    [InlineData("pay.billing.svc", "pay.billing.svc|pay.billing|pay.billing.svc.cluster.local")]
    [InlineData("pay.billing.svc.cluster.local", "pay.billing.svc.cluster.local|pay.billing|pay.billing.svc")]
    [InlineData("*.b.example", "*.b.example")]
    [InlineData("api.b.example", "api.b.example")]
    [InlineData("10.0.0.1", "10.0.0.1")]
    [InlineData("x.svc", "x.svc")]
    public void For_RouteHost_RegistersEveryDnsFormOfTheService(string routeHost, string expected) =>
        Assert.Equal(expected.Split('|'), ServiceHostForms.For(routeHost, "shop", "cluster.local"));

    [Fact]
    public void For_CustomClusterDomain_UsedForTheFullName() =>
        Assert.Equal(["orders", "orders.shop", "orders.shop.svc", "orders.shop.svc.corp.example"], ServiceHostForms.For("orders", "shop", "corp.example"));

    [Fact]
    public void Build_BareAndNamespacedRouteForOneService_EachFormGoesToOneRoute()
    {
        ImmutableArray<OutboundRoute> routes =
        [
            new OutboundRoute { Host = "orders", Cluster = "a" },
            new OutboundRoute { Host = "orders.default", Cluster = "b" },
            new OutboundRoute { Host = "orders", PathPrefix = "/v2", Cluster = "c" },
        ];

        var hosts = OutboundHostTable.Build(routes, "default", "cluster.local");

        Assert.Equal(["orders", "orders.default.svc", "orders.default.svc.cluster.local"], hosts[0]);
        Assert.Equal(["orders.default"], hosts[1]);
        Assert.Equal(["orders", "orders.default", "orders.default.svc", "orders.default.svc.cluster.local"], hosts[2]);
    }

    [Fact]
    public void Load_NamespaceAndClusterDomain_ReadFromTheEnvironment()
    {
        var result = BootstrapLoader.Load([], new Dictionary<string, string?> { ["ACGS_NAMESPACE"] = "shop", ["ACGS_CLUSTER_DOMAIN"] = "corp.example" });
        var defaults = BootstrapLoader.Load([], new Dictionary<string, string?>());

        Assert.Empty(result.Errors);
        Assert.Equal("shop", result.Bootstrap!.Options.Namespace);
        Assert.Equal("corp.example", result.Bootstrap.Options.ClusterDomain);
        Assert.Equal("default", defaults.Bootstrap!.Options.Namespace);
        Assert.Equal("cluster.local", defaults.Bootstrap.Options.ClusterDomain);
    }

    [Fact]
    public void Load_InvalidNamespaceAndClusterDomain_OneLineEach()
    {
        var result = BootstrapLoader.Load([], new Dictionary<string, string?> { ["ACGS_NAMESPACE"] = "Shop", ["ACGS_CLUSTER_DOMAIN"] = "cluster..local" });

        Assert.Null(result.Bootstrap);
        Assert.Equal(2, result.Errors.Count);
        Assert.Contains(result.Errors, e => e.StartsWith("ACGS_NAMESPACE: must be a DNS label", StringComparison.Ordinal) && e.EndsWith("(got 'Shop')", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("ACGS_CLUSTER_DOMAIN: must be a DNS name", StringComparison.Ordinal) && e.EndsWith("(got 'cluster..local')", StringComparison.Ordinal));
    }
}
