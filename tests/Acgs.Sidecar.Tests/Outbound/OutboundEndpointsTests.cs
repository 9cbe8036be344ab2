// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Net;
using Acgs.Contracts.Config;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.Outbound;
using Acgs.Sidecar.Tests.Fixtures;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using RouteConfig = Yarp.ReverseProxy.Configuration.RouteConfig;
using RouteMatch = Yarp.ReverseProxy.Configuration.RouteMatch;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Acgs.Sidecar.Tests.Outbound;

public sealed class OutboundEndpointsTests
{
    [Fact]
    public void Select_HostOnlyRoutes_MapEveryHostOfEach()
    {
        var orders = Route("orders", "{**catch-all}", ["orders", "orders.shop"]);
        var search = Route("search", "{**catch-all}", ["search"]);

        var table = OutboundEndpoints.Select([orders, search, Route("inbound", "{**catch-all}", [], ListenerMetadata.Inbound)]);

        Assert.Equal(3, table.Count);
        Assert.Same(orders, table["ORDERS.shop"]);
        Assert.Same(search, table["search"]);
    }

    [Fact]
    public void Select_HostWithAPrefixRouteToo_IsLeftToRouting()
    {
        var table = OutboundEndpoints.Select([Route("orders", "{**catch-all}", ["orders"]), Route("orders-v2", "/v2/{**catch-all}", ["orders"])]);

        Assert.Empty(table);
    }

    [Fact]
    public void Select_HostNamedByTwoHostOnlyRoutes_IsLeftToRouting()
    {
        var table = OutboundEndpoints.Select([Route("a", "{**catch-all}", ["orders"]), Route("b", "{**catch-all}", ["orders", "billing"])]);

        Assert.Equal("billing", Assert.Single(table.Keys));
    }

    [Theory]
    [InlineData("*.shop")]
    [InlineData("orders:8080")]
    public void Select_WildcardOrPortHost_IsLeftToRouting(string host)
    {
        Assert.Empty(OutboundEndpoints.Select([Route("orders", "{**catch-all}", [host])]));
    }

    [Fact]
    public void Select_MethodRestrictedRoute_IsLeftToRouting()
    {
        var match = new RouteMatch { Path = "{**catch-all}", Hosts = ["orders"], Methods = ["GET"] };

        Assert.Empty(OutboundEndpoints.Select([Route("orders", "{**catch-all}", ["orders"], ListenerMetadata.Outbound, match)]));
    }

    [Theory]
    [InlineData("orders", true)]
    [InlineData("Orders:8080", true)]
    [InlineData("orders.shop:80", true)]
    [InlineData("other", false)]
    [InlineData("[::1]:8080", false)]
    [InlineData("", false)]
    public void Find_HostHeader_MatchesWithoutPortCaseInsensitively(string header, bool found)
    {
        var orders = Route("orders", "{**catch-all}", ["orders", "orders.shop"]);
        var source = new DefaultEndpointDataSource(orders);
        using var table = new OutboundEndpoints(new ListenerPorts());
        table.Watch(source);

        Assert.Equal(found, table.Find(new StringValues(header)) is not null);
    }

    [Fact]
    public async Task Sidecar_HostOnlyRoute_SkipsMatchingAndStillProxiesWhilePrefixRoutesAreRouted()
    {
        await using var orders = await TestUpstream.StartAsync("orders");
        await using var v2 = await TestUpstream.StartAsync("v2");
        await using var sidecar = await SidecarTestHost.StartAsync(9);
        var next = SidecarTestHost.Snapshot(version: "v2") with
        {
            Clusters = ImmutableDictionary<string, ClusterConfig>.Empty
                .Add("orders", new ClusterConfig { Destinations = [$"127.0.0.1:{orders.Port}"] })
                .Add("orders-v2", new ClusterConfig { Destinations = [$"127.0.0.1:{v2.Port}"] }),
            Routes = [new OutboundRoute { Host = "orders", Cluster = "orders" }, new OutboundRoute { Host = "billing", Cluster = "orders" },
                new OutboundRoute { Host = "billing", PathPrefix = "/v2", Cluster = "orders-v2" }],
        };
        var applied = await sidecar.Host.Services.GetRequiredService<ConfigApplier>().ApplyAsync(next, "test");
        var table = sidecar.Host.Services.GetRequiredService<OutboundEndpoints>();

        Assert.True(applied.Accepted, string.Join("; ", applied.Errors));
        Assert.NotNull(table.Find(new StringValues("orders.default.svc.cluster.local:80")));
        Assert.Null(table.Find(new StringValues("billing")));
        Assert.Equal("orders:/a:HTTP/1.1", await GetAsync(sidecar, "orders:8080", "/a"));
        Assert.Equal("orders:/x:HTTP/1.1", await GetAsync(sidecar, "billing", "/x"));
        Assert.Equal("v2:/v2/y:HTTP/1.1", await GetAsync(sidecar, "billing", "/v2/y"));
        using var none = await sidecar.Client.SendAsync(Request(sidecar, "nowhere", "/"));
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }

    private static HttpRequestMessage Request(SidecarTestHost sidecar, string host, string path)
    {
        var request = SidecarTestHost.Request(HttpMethod.Get, sidecar.Outbound, path);
        request.Headers.Host = host;
        return request;
    }

    private static async Task<string> GetAsync(SidecarTestHost sidecar, string host, string path)
    {
        using var response = await sidecar.Client.SendAsync(Request(sidecar, host, path));
        return await response.Content.ReadAsStringAsync();
    }

    private static RouteEndpoint Route(string id, string pattern, string[] hosts, ListenerMetadata? listener = null, RouteMatch? match = null)
    {
        var config = new RouteConfig { RouteId = id, ClusterId = "c", Match = match ?? new RouteMatch { Path = pattern, Hosts = hosts } };
        var model = new RouteModel(config, cluster: null, HttpTransformer.Default);
        var metadata = new EndpointMetadataCollection(model, listener ?? ListenerMetadata.Outbound);
        return new RouteEndpoint(static _ => Task.CompletedTask, RoutePatternFactory.Parse(pattern), 0, metadata, id);
    }
}
