// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Net;
using Acgs.Contracts.Config;
using Acgs.Core;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Testing;

namespace Acgs.Sidecar.Tests.Outbound;

public sealed class OutboundRoutingTests
{
    private static Func<ConfigSnapshot, ConfigSnapshot> TwoClusters(TestUpstream a, TestUpstream b) => s => s with
    {
        Clusters = ImmutableDictionary<string, ClusterConfig>.Empty
            .Add("svc-a", new ClusterConfig { Destinations = [$"127.0.0.1:{a.Port}"] })
            .Add("svc-b", new ClusterConfig { Destinations = [$"http://127.0.0.1:{b.Port}"] }),
        Routes = [new OutboundRoute { Host = "svc-a", Cluster = "svc-a" }, new OutboundRoute { Host = "*.b.example", Cluster = "svc-b" }],
    };

    [Fact]
    public async Task Outbound_RoutesByHost_ToTwoClusters()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var a = await TestUpstream.StartAsync("a");
        await using var b = await TestUpstream.StartAsync("b");
        await using var sidecar = await SidecarTestHost.StartAsync(app.Port, TwoClusters(a, b));

        using var toA = SidecarTestHost.Request(HttpMethod.Get, sidecar.Outbound, "/one");
        toA.Headers.Host = "svc-a:8080";
        using var toB = SidecarTestHost.Request(HttpMethod.Get, sidecar.Outbound, "/two");
        toB.Headers.Host = "api.b.example";
        using var responseA = await sidecar.Client.SendAsync(toA);
        using var responseB = await sidecar.Client.SendAsync(toB);

        Assert.Equal("a:/one:HTTP/1.1", await responseA.Content.ReadAsStringAsync());
        Assert.Equal("b:/two:HTTP/1.1", await responseB.Content.ReadAsStringAsync());
        Assert.Equal("svc-a:8080", a.LastHost);
        Assert.Equal(0, app.Requests);
    }

    [Fact]
    public async Task Outbound_MissingHash_IsStampedWithPrimary()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var a = await TestUpstream.StartAsync("a");
        await using var b = await TestUpstream.StartAsync("b");
        await using var sidecar = await SidecarTestHost.StartAsync(app.Port, TwoClusters(a, b));

        using var request = SidecarTestHost.Request(HttpMethod.Get, sidecar.Outbound, "/stamp", hash: null);
        request.Headers.Host = "svc-a";
        using var response = await sidecar.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(AcgsConstants.ConstitutionalHash, a.LastHashHeader);
    }

    [Fact]
    public async Task Outbound_WrongHash_IsRejected()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var a = await TestUpstream.StartAsync("a");
        await using var b = await TestUpstream.StartAsync("b");
        await using var sidecar = await SidecarTestHost.StartAsync(app.Port, TwoClusters(a, b));

        using var request = SidecarTestHost.Request(HttpMethod.Get, sidecar.Outbound, "/x", hash: new string('0', 16));
        request.Headers.Host = "svc-a";
        using var response = await sidecar.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, a.Requests);
    }

    [Fact]
    public async Task Outbound_UnknownHost_Returns404NoRoute()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var a = await TestUpstream.StartAsync("a");
        await using var b = await TestUpstream.StartAsync("b");
        await using var sidecar = await SidecarTestHost.StartAsync(app.Port, TwoClusters(a, b));

        using var request = SidecarTestHost.Request(HttpMethod.Get, sidecar.Outbound, "/metrics");
        request.Headers.Host = "nowhere.example";
        using var response = await sidecar.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("urn:acgs:no-route", body, StringComparison.Ordinal);
        Assert.Equal(0, a.Requests + b.Requests + app.Requests);
    }

    [Fact]
    public async Task Outbound_ServiceNotInAScopedSnapshot_Returns404NoRouteNamingItAndCountsClusterNone()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var a = await TestUpstream.StartAsync("a");

        // What an Egress policy naming only svc-a compiles into: svc-a's cluster and route, nothing of svc-b.
        await using var sidecar = await SidecarTestHost.StartAsync(app.Port, s => s with
        {
            Clusters = ImmutableDictionary<string, ClusterConfig>.Empty.Add("svc-a", new ClusterConfig { Destinations = [$"127.0.0.1:{a.Port}"] }),
            Routes = [new OutboundRoute { Host = "svc-a", Cluster = "svc-a" }],
        });

        using var request = SidecarTestHost.Request(HttpMethod.Get, sidecar.Outbound, "/orders");
        request.Headers.Host = "svc-b";
        using var response = await sidecar.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"type\":\"urn:acgs:no-route\"", body, StringComparison.Ordinal);
        Assert.Contains("\"host\":\"svc-b\"", body, StringComparison.Ordinal);
        Assert.Equal(0, a.Requests + app.Requests);
        const string NoRoute = "acgs_requests_total{listener=\"outbound\",cluster=\"none\",code=\"404\"} 1\n";
        var metrics = await Eventually.ValueAsync(() => sidecar.AdminGetStringAsync("/metrics"), t => t.Contains(NoRoute, StringComparison.Ordinal));
        Assert.Contains(NoRoute, metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inbound_DoesNotServeOutboundRoutesOrAdmin()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var a = await TestUpstream.StartAsync("a");
        await using var b = await TestUpstream.StartAsync("b");
        await using var sidecar = await SidecarTestHost.StartAsync(app.Port, TwoClusters(a, b));

        using var request = SidecarTestHost.Request(HttpMethod.Get, sidecar.Inbound, "/metrics");
        request.Headers.Host = "svc-a";
        using var response = await sidecar.Client.SendAsync(request);

        Assert.Equal("app:/metrics:HTTP/1.1", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, a.Requests);
    }
}
