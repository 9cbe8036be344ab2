// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Net;
using System.Text.Json.Nodes;
using Acgs.Contracts.Config;
using Acgs.Core.CircuitBreaker;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Resilience;
using Acgs.Sidecar.Telemetry;
using Acgs.Sidecar.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Acgs.Sidecar.Tests.Faults;

/// <summary><c>force_open_breaker</c> fault rules on real Kestrel listeners: the breaker is held open, then released on expiry or by a new snapshot.</summary>
public sealed class ForceOpenBreakerProxyTests
{
    // A cluster name no other test uses: the breaker-state gauge is process-wide.
    private const string Cluster = "forced-orders";

    private static readonly DateTimeOffset Start = new(2026, 11, 27, 3, 0, 0, TimeSpan.Zero);

    private static ConfigSnapshot WithRules(int upstreamPort, string version, params FaultRule[] rules) => SidecarTestHost.Snapshot(version: version) with
    {
        Clusters = ImmutableDictionary<string, ClusterConfig>.Empty.Add(Cluster, new ClusterConfig
        {
            Destinations = [$"127.0.0.1:{upstreamPort}"],
            Breaker = new BreakerSettings { FailMax = 2, ResetTimeoutSeconds = 10 },
        }),
        Routes = [new OutboundRoute { Host = Cluster, Cluster = Cluster }],
        FaultRules = [.. rules],
    };

    private static FaultRule ForceOpen(DateTimeOffset? expires) => new() { Name = "open-orders", Cluster = Cluster, ForceOpenBreaker = true, ExpiresAt = expires };

    private static Task<HttpResponseMessage> SendAsync(FaultTestHost host)
    {
        var request = SidecarTestHost.Request(HttpMethod.Get, host.Outbound, "/items");
        request.Headers.Host = Cluster;
        return host.Client.SendAsync(request);
    }

    private static CircuitBreaker Breaker(FaultTestHost host) => host.Services.GetRequiredService<CircuitBreakerRegistry>().Get(Cluster);

    [Fact]
    public async Task Request_ForceOpenRuleActive_CircuitOpenAnswerAndBreakerShownOpen()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var orders = await TestUpstream.StartAsync("orders");
        await using var host = await FaultTestHost.StartAsync(
            new SidecarBootstrap(SidecarTestHost.Options(app.Port), WithRules(orders.Port, "v1", ForceOpen(Start.AddSeconds(60))), ConfigSources.Bootstrap, HashOverrides.None),
            new FakeTimeProvider(Start), new Random(1));

        using var response = await SendAsync(host);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(CircuitOpenResponse.CircuitHeaderValue, response.Headers.GetValues(CircuitOpenResponse.CircuitHeaderName).Single());
        Assert.Equal("60", response.Headers.GetValues("Retry-After").Single());
        Assert.Equal(0, orders.Requests);
        Assert.Equal(CircuitState.Open, Breaker(host).State);
        Assert.True(Breaker(host).IsHeldOpen);
        Assert.Equal((int)CircuitState.Open, host.Services.GetRequiredService<BreakerMetrics>().State.WithLabels(Cluster).Value);
        Assert.Equal([Cluster], host.Services.GetRequiredService<ConfigApplier>().ForcedOpen.HeldClusters);
        var breakers = JsonNode.Parse(await host.Client.GetStringAsync(new Uri(host.Admin, "/breakers")))!["breakers"]!.AsArray();
        var shown = breakers.Single(b => (string?)b!["name"] == Cluster)!;
        Assert.Equal("open", (string?)shown["state"]);
        Assert.True((bool)shown["held_open"]!);
    }

    [Fact]
    public async Task Request_PastResetTimeoutThenPastExpiry_RefusedUntilExpiryThenForwarded()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var orders = await TestUpstream.StartAsync("orders");
        var time = new FakeTimeProvider(Start);
        await using var host = await FaultTestHost.StartAsync(
            new SidecarBootstrap(SidecarTestHost.Options(app.Port), WithRules(orders.Port, "v1", ForceOpen(Start.AddSeconds(60))), ConfigSources.Bootstrap, HashOverrides.None),
            time, new Random(1));

        time.Advance(TimeSpan.FromSeconds(30)); // three reset timeouts: an ordinary open breaker would let a trial through
        using var during = await SendAsync(host);
        time.Advance(TimeSpan.FromSeconds(31)); // past expires_at: the timer releases the hold
        using var after = await SendAsync(host);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.Equal("30", during.Headers.GetValues("Retry-After").Single());
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(1, orders.Requests);
        Assert.Equal(CircuitState.Closed, Breaker(host).State);
        Assert.False(Breaker(host).IsHeldOpen);
        Assert.Empty(host.Services.GetRequiredService<ConfigApplier>().ForcedOpen.HeldClusters);
    }

    [Fact]
    public async Task ApplyAsync_NewSnapshotWithoutRule_ReleasesAndForwards()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var orders = await TestUpstream.StartAsync("orders");
        await using var host = await FaultTestHost.StartAsync(
            new SidecarBootstrap(SidecarTestHost.Options(app.Port), WithRules(orders.Port, "v1", ForceOpen(null)), ConfigSources.Bootstrap, HashOverrides.None),
            new FakeTimeProvider(Start), new Random(1));

        using var held = await SendAsync(host);
        var applied = await host.Services.GetRequiredService<ConfigApplier>().ApplyAsync(WithRules(orders.Port, "v2"), "test");
        using var released = await SendAsync(host);

        Assert.True(applied.Accepted, string.Join("; ", applied.Errors));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, held.StatusCode);
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        Assert.Equal(1, orders.Requests);
        Assert.Equal(CircuitState.Closed, Breaker(host).State);
    }

    [Fact]
    public async Task ApplyAsync_RuleRemovedFromBreakerOpenedByRealFailures_StaysOpen()
    {
        await using var app = await TestUpstream.StartAsync("app");
        var deadPort = SidecarTestHost.FreePort(); // nothing listens: every forward is a transport failure
        var time = new FakeTimeProvider(Start);
        await using var host = await FaultTestHost.StartAsync(
            new SidecarBootstrap(SidecarTestHost.Options(app.Port), WithRules(deadPort, "v1"), ConfigSources.Bootstrap, HashOverrides.None),
            time, new Random(1));
        var applier = host.Services.GetRequiredService<ConfigApplier>();
        using (await SendAsync(host))
        using (await SendAsync(host))
        {
        }

        Assert.Equal(CircuitState.Open, Breaker(host).State); // fail_max 2: opened by real failures
        var held = await applier.ApplyAsync(WithRules(deadPort, "v2", ForceOpen(Start.AddSeconds(60))), "test");
        var removed = await applier.ApplyAsync(WithRules(deadPort, "v3"), "test");

        Assert.True(held.Accepted && removed.Accepted);
        Assert.Equal(CircuitState.Open, Breaker(host).State); // the release does not close what real failures opened
        Assert.False(Breaker(host).IsHeldOpen);
        using var refused = await SendAsync(host);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(CircuitOpenResponse.CircuitHeaderValue, refused.Headers.GetValues(CircuitOpenResponse.CircuitHeaderName).Single());
    }
}
