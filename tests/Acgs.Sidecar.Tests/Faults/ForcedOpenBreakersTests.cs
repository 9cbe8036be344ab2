// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using Acgs.Contracts.Config;
using Acgs.Core.CircuitBreaker;
using Acgs.Sidecar.Faults;
using Acgs.Sidecar.Telemetry;
using Acgs.Sidecar.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Acgs.Sidecar.Tests.Faults;

/// <summary><see cref="ForcedOpenBreakers"/> on fake time, and the request-path rule set leaving force-open rules out.</summary>
public sealed class ForcedOpenBreakersTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 3, 0, 0, TimeSpan.Zero);

    private readonly FaultMetrics _metrics = new(new SidecarMetrics());

    private static ConfigSnapshot Snapshot(params FaultRule[] rules) => SidecarTestHost.Snapshot() with
    {
        Clusters = ImmutableDictionary<string, ClusterConfig>.Empty
            .Add("a", new ClusterConfig { Destinations = ["127.0.0.1:1"] })
            .Add("b", new ClusterConfig { Destinations = ["127.0.0.1:2"] }),
        FaultRules = [.. rules],
    };

    [Fact]
    public void Apply_TwoRulesSameCluster_HeldUntilLaterExpiry()
    {
        var time = new FakeTimeProvider(Start);
        var registry = new CircuitBreakerRegistry(time);
        using var forced = new ForcedOpenBreakers(registry, time, NullLogger.Instance, _metrics);

        forced.Apply(Snapshot(
            new FaultRule { Cluster = "a", ForceOpenBreaker = true, ExpiresAt = Start.AddSeconds(10) },
            new FaultRule { Cluster = "a", ForceOpenBreaker = true, ExpiresAt = Start.AddSeconds(20) },
            new FaultRule { Cluster = "b", ForceOpenBreaker = true, ExpiresAt = Start.AddSeconds(5) }));
        time.Advance(TimeSpan.FromSeconds(12));
        var afterTwelve = forced.HeldClusters;
        time.Advance(TimeSpan.FromSeconds(9));

        Assert.Equal(["a"], afterTwelve);
        Assert.Empty(forced.HeldClusters);
        Assert.Equal(CircuitState.Closed, registry.Get("a").State);
        Assert.Equal(CircuitState.Closed, registry.Get("b").State);
        Assert.Equal(2, _metrics.ForcedOpen.Value); // one per held cluster
    }

    [Fact]
    public void Apply_RuleAlreadyExpired_NothingHeld()
    {
        var time = new FakeTimeProvider(Start);
        var registry = new CircuitBreakerRegistry(time);
        using var forced = new ForcedOpenBreakers(registry, time, NullLogger.Instance, _metrics);

        forced.Apply(Snapshot(new FaultRule { Cluster = "a", ForceOpenBreaker = true, ExpiresAt = Start.AddSeconds(-1) }));

        Assert.Empty(forced.HeldClusters);
        Assert.False(registry.TryGet("a", out _));
        Assert.Equal(0, _metrics.ForcedOpen.Value);
    }

    [Fact]
    public void Apply_SameRuleAgain_KeepsOriginalHoldAndReleasesOnce()
    {
        var time = new FakeTimeProvider(Start);
        var registry = new CircuitBreakerRegistry(time);
        using var forced = new ForcedOpenBreakers(registry, time, NullLogger.Instance, _metrics);
        var rule = new FaultRule { Cluster = "a", ForceOpenBreaker = true, ExpiresAt = Start.AddSeconds(30) };

        forced.Apply(Snapshot(rule));
        forced.Apply(Snapshot(rule with { ExpiresAt = Start.AddSeconds(60) })); // a new version: the hold continues, longer
        time.Advance(TimeSpan.FromSeconds(45));
        var midway = registry.Get("a").State;
        forced.Apply(Snapshot());

        Assert.Equal(CircuitState.Open, midway);
        Assert.Equal(CircuitState.Closed, registry.Get("a").State); // the first hold's token still closes it
        Assert.Equal(1, _metrics.ForcedOpen.Value); // one hold, not one per applied version
    }

    [Fact]
    public void From_OnlyForceOpenRules_NoRequestPathRules()
    {
        var onlyForced = Snapshot(new FaultRule { Cluster = "a", ForceOpenBreaker = true });
        var mixed = Snapshot(
            new FaultRule { Cluster = "a", ForceOpenBreaker = true },
            new FaultRule { Name = "slow-b", Cluster = "b", Delay = new FaultDelay { FixedDelayMs = 5 } });

        Assert.Null(FaultRuleSet.From(onlyForced));
        Assert.Equal("slow-b", Assert.Single(FaultRuleSet.From(mixed)!.Rules).Name);
    }
}
