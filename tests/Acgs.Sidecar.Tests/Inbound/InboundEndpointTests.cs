// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Net;
using Acgs.Contracts.Config;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.Inbound;
using Acgs.Sidecar.Tests.Fixtures;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Acgs.Sidecar.Tests.Inbound;

public sealed class InboundEndpointTests
{
    [Fact]
    public void Select_OneBareCatchAllForInbound_ReturnsIt()
    {
        var inbound = Route("inbound", "{**catch-all}", ListenerMetadata.Inbound);
        var endpoints = new[] { Route("admin", "/health/live", ListenerMetadata.Admin), inbound, Route("out", "{**catch-all}", ListenerMetadata.Outbound) };

        Assert.Same(inbound, InboundEndpoint.Select(endpoints));
    }

    [Fact]
    public void Select_TwoInboundCandidates_ReturnsNull()
    {
        var endpoints = new[] { Route("inbound", "{**catch-all}", ListenerMetadata.Inbound), Route("api", "/api/{**rest}", ListenerMetadata.Inbound) };

        Assert.Null(InboundEndpoint.Select(endpoints));
    }

    [Fact]
    public void Select_EndpointWithoutListener_CountsAsInboundCandidate()
    {
        var endpoints = new[] { Route("inbound", "{**catch-all}", ListenerMetadata.Inbound), Route("any", "/x", null) };

        Assert.Null(InboundEndpoint.Select(endpoints));
    }

    [Theory]
    [InlineData("/api/{**rest}", null)]
    [InlineData("{**catch-all}", "GET")]
    public void Select_OnlyInboundRouteIsNotABareCatchAll_ReturnsNull(string pattern, string? method)
    {
        var match = new RouteMatch { Path = pattern, Methods = method is null ? null : [method] };

        Assert.Null(InboundEndpoint.Select([Route("inbound", pattern, ListenerMetadata.Inbound, match)]));
    }

    [Fact]
    public async Task Sidecar_DefaultConfig_InboundSkipsMatchingAndStillProxies()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var sidecar = await SidecarTestHost.StartAsync(app.Port);
        var selector = sidecar.Host.Services.GetRequiredService<InboundEndpoint>();

        Assert.NotNull(selector.Current);
        Assert.Equal("inbound", selector.Current!.Metadata.GetMetadata<RouteModel>()!.Config.RouteId);
        using var response = await sidecar.Client.SendAsync(SidecarTestHost.Request(HttpMethod.Delete, sidecar.Inbound, "/a/b?c=d"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("app:/a/b:HTTP/1.1", await response.Content.ReadAsStringAsync());
        using var admin = await sidecar.Client.GetAsync(new Uri(sidecar.Admin, "/health/live"));
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode); // other listeners still routed
    }

    [Fact]
    public async Task Sidecar_SnapshotApplied_ShortcutFollowsTheNewEndpoints()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var other = await TestUpstream.StartAsync("other");
        await using var sidecar = await SidecarTestHost.StartAsync(app.Port);
        var selector = sidecar.Host.Services.GetRequiredService<InboundEndpoint>();
        var endpoints = sidecar.Host.Services.GetRequiredService<EndpointDataSource>();

        var next = SidecarTestHost.Snapshot(version: "v2") with
        {
            Clusters = ImmutableDictionary<string, Acgs.Contracts.Config.ClusterConfig>.Empty.Add("svc-o", new Acgs.Contracts.Config.ClusterConfig { Destinations = [$"127.0.0.1:{other.Port}"] }),
            Routes = [new OutboundRoute { Host = "svc-o", Cluster = "svc-o" }],
        };
        var applied = await sidecar.Host.Services.GetRequiredService<ConfigApplier>().ApplyAsync(next, "test");

        Assert.True(applied.Accepted, string.Join("; ", applied.Errors));
        Assert.NotNull(selector.Current);
        Assert.Contains(selector.Current!, endpoints.Endpoints); // the live endpoint, not one from the replaced table
        using var response = await sidecar.Client.SendAsync(SidecarTestHost.Request(HttpMethod.Get, sidecar.Inbound, "/after"));
        Assert.Equal("app:/after:HTTP/1.1", await response.Content.ReadAsStringAsync());
    }

    private static RouteEndpoint Route(string id, string pattern, ListenerMetadata? listener, RouteMatch? match = null)
    {
        var config = new RouteConfig { RouteId = id, ClusterId = "c", Match = match ?? new RouteMatch { Path = pattern } };
        var model = new RouteModel(config, cluster: null, HttpTransformer.Default);
        var metadata = listener is null ? new EndpointMetadataCollection(model) : new EndpointMetadataCollection(model, listener);
        return new RouteEndpoint(static _ => Task.CompletedTask, RoutePatternFactory.Parse(pattern), 0, metadata, id);
    }
}
