// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Net;
using Acgs.Contracts.Config;
using Acgs.Core;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Tests.Fixtures;

namespace Acgs.Sidecar.Tests.Outbound;

/// <summary>
/// A real sidecar in namespace <c>shop</c> routes a service by every Kubernetes DNS form of its name, with or without
/// a port, resolved with its own namespace; a name in another namespace is 404 no-route. Also as an HTTP proxy
/// (absolute-form request targets), the way apps reach it under <c>acgs.io/redirect: "none"</c>.
/// </summary>
public sealed class ServiceNameRoutingTests
{
    private static readonly string[] OrdersForms =
    [
        "orders", "orders:8080", "orders.shop", "orders.shop:80", "orders.shop.svc", "orders.shop.svc:8080",
        "orders.shop.svc.cluster.local", "orders.shop.svc.cluster.local:8080", "Orders.Shop.SVC.Cluster.Local",
    ];

    private static readonly string[] NoRouteForms =
    [
        "orders.other", "orders.other.svc", "orders.other.svc.cluster.local:8080", "orders.shop.svc.other.local", "orders.svc",
        "pay", "pay.shop.svc.cluster.local", "orders.shop.cluster.local",
    ];

    private static async Task<SidecarTestHost> StartAsync(TestUpstream app, TestUpstream orders, TestUpstream pay)
    {
        var options = SidecarTestHost.Options(app.Port) with { Namespace = "shop" };
        var snapshot = SidecarTestHost.Snapshot() with
        {
            Clusters = ImmutableDictionary<string, ClusterConfig>.Empty
                .Add("orders", new ClusterConfig { Destinations = [$"127.0.0.1:{orders.Port}"] })
                .Add("pay", new ClusterConfig { Destinations = [$"127.0.0.1:{pay.Port}"] }),
            Routes = [new OutboundRoute { Host = "orders", Cluster = "orders" }, new OutboundRoute { Host = "pay.billing", Cluster = "pay" }],
        };
        return await SidecarTestHost.StartAsync(new SidecarBootstrap(options, snapshot, ConfigSources.Bootstrap, HashOverrides.None));
    }

    [Fact]
    public async Task Outbound_EveryDnsFormOfAServiceInTheOwnNamespace_Routed()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var orders = await TestUpstream.StartAsync("orders");
        await using var pay = await TestUpstream.StartAsync("pay");
        await using var sidecar = await StartAsync(app, orders, pay);

        var failures = new List<string>();
        foreach (var host in OrdersForms)
        {
            using var request = SidecarTestHost.Request(HttpMethod.Get, sidecar.Outbound, "/items");
            request.Headers.Host = host;
            using var response = await sidecar.Client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (body != "orders:/items:HTTP/1.1")
            {
                failures.Add($"{host}: {(int)response.StatusCode} {body}");
            }
        }

        Assert.Empty(failures);
        Assert.Equal(OrdersForms.Length, orders.Requests);
    }

    [Fact]
    public async Task Outbound_ServiceOfAnotherNamespace_RoutedByItsQualifiedFormsOnly()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var orders = await TestUpstream.StartAsync("orders");
        await using var pay = await TestUpstream.StartAsync("pay");
        await using var sidecar = await StartAsync(app, orders, pay);

        foreach (var host in new[] { "pay.billing", "pay.billing.svc:9000", "pay.billing.svc.cluster.local" })
        {
            using var request = SidecarTestHost.Request(HttpMethod.Get, sidecar.Outbound, "/charge");
            request.Headers.Host = host;
            using var response = await sidecar.Client.SendAsync(request);
            Assert.Equal("pay:/charge:HTTP/1.1", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Outbound_WrongNamespaceOrDomain_Returns404NoRoute()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var orders = await TestUpstream.StartAsync("orders");
        await using var pay = await TestUpstream.StartAsync("pay");
        await using var sidecar = await StartAsync(app, orders, pay);

        foreach (var host in NoRouteForms)
        {
            using var request = SidecarTestHost.Request(HttpMethod.Get, sidecar.Outbound, "/items");
            request.Headers.Host = host;
            using var response = await sidecar.Client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.NotFound && body.Contains("urn:acgs:no-route", StringComparison.Ordinal), $"{host}: {(int)response.StatusCode} {body}");
        }

        Assert.Equal(0, orders.Requests + pay.Requests + app.Requests);
    }

    [Fact]
    public async Task Outbound_AsHttpProxy_AbsoluteFormRequestsRoutedByTheirAuthority()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var orders = await TestUpstream.StartAsync("orders");
        await using var pay = await TestUpstream.StartAsync("pay");
        await using var sidecar = await StartAsync(app, orders, pay);
        using var client = new HttpClient(new SocketsHttpHandler { Proxy = new WebProxy(sidecar.Outbound), UseProxy = true });

        using var toOrders = SidecarTestHost.Request(HttpMethod.Get, new Uri("http://orders.shop.svc.cluster.local:8080/"), "/items?q=1");
        using var ordersResponse = await client.SendAsync(toOrders);
        using var toPay = SidecarTestHost.Request(HttpMethod.Get, new Uri("http://pay.billing/"), "/charge", hash: null);
        using var payResponse = await client.SendAsync(toPay);
        using var nowhere = SidecarTestHost.Request(HttpMethod.Get, new Uri("http://orders.other/"), "/items");
        using var nowhereResponse = await client.SendAsync(nowhere);

        Assert.Equal("orders:/items:HTTP/1.1", await ordersResponse.Content.ReadAsStringAsync());
        Assert.Equal("orders.shop.svc.cluster.local:8080", orders.LastHost);
        Assert.Equal("pay:/charge:HTTP/1.1", await payResponse.Content.ReadAsStringAsync());
        Assert.Equal(AcgsConstants.ConstitutionalHash, pay.LastHashHeader);
        Assert.Equal(HttpStatusCode.NotFound, nowhereResponse.StatusCode);
    }
}
