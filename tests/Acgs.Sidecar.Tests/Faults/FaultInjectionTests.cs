// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Net;
using System.Text.Json.Nodes;
using Acgs.Contracts.Config;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Faults;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Acgs.Sidecar.Tests.Faults;

/// <summary>Fault injection on real Kestrel listeners: aborts, delays on fake time, percentages with a seeded random, expiry.</summary>
public sealed class FaultInjectionTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 22, 0, 0, TimeSpan.Zero);

    private static Func<ConfigSnapshot, ConfigSnapshot> WithRules(TestUpstream upstream, params FaultRule[] rules) => s => s with
    {
        Clusters = ImmutableDictionary<string, ClusterConfig>.Empty.Add("orders", new ClusterConfig { Destinations = [$"127.0.0.1:{upstream.Port}"] }),
        Routes = [new OutboundRoute { Host = "orders", Cluster = "orders" }],
        FaultRules = [.. rules],
    };

    private static HttpRequestMessage Outbound(FaultTestHost host, string path)
    {
        var request = SidecarTestHost.Request(HttpMethod.Get, host.Outbound, path);
        request.Headers.Host = "orders";
        return request;
    }

    [Fact]
    public async Task Abort_InboundRuleUnderPrefix_StatusHeaderProblemAndMetric()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var other = await TestUpstream.StartAsync("orders");
        var rule = new FaultRule { Name = "chaos-1", Inbound = true, PathPrefix = "/api", Abort = new FaultAbort { HttpStatus = 503 } };
        await using var host = await FaultTestHost.StartAsync(app.Port, WithRules(other, rule), new FakeTimeProvider(Start), new Random(1));
        var metrics = host.Services.GetRequiredService<FaultMetrics>();

        using var aborted = await host.Client.SendAsync(SidecarTestHost.Request(HttpMethod.Get, host.Inbound, "/API/orders"));
        using var untouched = await host.Client.SendAsync(SidecarTestHost.Request(HttpMethod.Get, host.Inbound, "/apiary"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, aborted.StatusCode);
        Assert.Equal("abort", aborted.Headers.GetValues(FaultInjectionMiddleware.HeaderName).Single());
        var problem = JsonNode.Parse(await aborted.Content.ReadAsStringAsync())!;
        Assert.Equal(FaultInjectionMiddleware.ProblemType, (string?)problem["type"]);
        Assert.Equal("chaos-1", (string?)problem["rule"]);
        Assert.Equal(HttpStatusCode.OK, untouched.StatusCode);
        Assert.False(untouched.Headers.Contains(FaultInjectionMiddleware.HeaderName));
        Assert.Equal(1, app.Requests);
        Assert.Equal(1, metrics.Aborts.Value);
        Assert.Equal(0, metrics.Delays.Value);
    }

    [Fact]
    public async Task Delay_OutboundRule_WaitsForTimeProviderThenForwards()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var orders = await TestUpstream.StartAsync("orders");
        var time = new FakeTimeProvider(Start);
        var rule = new FaultRule { Cluster = "orders", Delay = new FaultDelay { FixedDelayMs = 2_000 } };
        await using var host = await FaultTestHost.StartAsync(app.Port, WithRules(orders, rule), time, new Random(1));
        var metrics = host.Services.GetRequiredService<FaultMetrics>();

        var pending = host.Client.SendAsync(Outbound(host, "/slowed"));
        await Eventually.TrueAsync(() => metrics.Delays.Value == 1);

        await Task.Delay(200); // absence check: the request stays held while fake time stands still
        Assert.False(pending.IsCompleted);
        Assert.Equal(0, orders.Requests);
        var advanced = await Eventually.AdvanceUntilAsync(time, TimeSpan.FromMilliseconds(500), () => pending.IsCompleted);

        using var response = await pending;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("orders:/slowed:HTTP/1.1", await response.Content.ReadAsStringAsync());
        Assert.Equal("delay", response.Headers.GetValues(FaultInjectionMiddleware.HeaderName).Single());
        Assert.True(advanced >= TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Abort_Percentage_FollowsSeededRandom()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var orders = await TestUpstream.StartAsync("orders");
        var rule = new FaultRule { Cluster = "orders", Abort = new FaultAbort { HttpStatus = 429, Percentage = 30 } };
        await using var host = await FaultTestHost.StartAsync(app.Port, WithRules(orders, rule), new FakeTimeProvider(Start), new Random(7));
        var replay = new Random(7);
        var expected = 0;
        for (var i = 0; i < 100; i++)
        {
            expected += replay.NextDouble() * 100 < 30 ? 1 : 0;
        }

        var aborted = 0;
        for (var i = 0; i < 100; i++)
        {
            using var response = await host.Client.SendAsync(Outbound(host, "/p"));
            aborted += response.StatusCode == HttpStatusCode.TooManyRequests ? 1 : 0;
        }

        Assert.InRange(expected, 15, 45);
        Assert.Equal(expected, aborted);
        Assert.Equal(100 - expected, orders.Requests);
    }

    [Fact]
    public async Task Rule_AfterExpiry_NoLongerApplies()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var orders = await TestUpstream.StartAsync("orders");
        var time = new FakeTimeProvider(Start);
        var rule = new FaultRule { Cluster = "orders", Abort = new FaultAbort { HttpStatus = 500 }, ExpiresAt = Start.AddSeconds(60) };
        await using var host = await FaultTestHost.StartAsync(app.Port, WithRules(orders, rule), time, new Random(1));

        using var during = await host.Client.SendAsync(Outbound(host, "/x"));
        time.Advance(TimeSpan.FromSeconds(60));
        using var after = await host.Client.SendAsync(Outbound(host, "/x"));

        Assert.Equal(HttpStatusCode.InternalServerError, during.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(1, orders.Requests);
    }

    [Fact]
    public async Task Rules_RemovedByNextSnapshot_TrafficFlowsAgain()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var orders = await TestUpstream.StartAsync("orders");
        var rule = new FaultRule { Cluster = "orders", Abort = new FaultAbort { HttpStatus = 502 } };
        var snapshot = WithRules(orders, rule)(SidecarTestHost.Snapshot());
        await using var host = await FaultTestHost.StartAsync(app.Port, _ => snapshot, new FakeTimeProvider(Start), new Random(1));

        using var faulted = await host.Client.SendAsync(Outbound(host, "/x"));
        var applied = await host.Services.GetRequiredService<ConfigApplier>().ApplyAsync(snapshot with { Version = "v2", FaultRules = [] }, "test");
        using var clean = await host.Client.SendAsync(Outbound(host, "/x"));

        Assert.True(applied.Accepted);
        Assert.Equal(HttpStatusCode.BadGateway, faulted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, clean.StatusCode);
        Assert.False(clean.Headers.Contains(FaultInjectionMiddleware.HeaderName));
    }
}
