// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.CircuitBreaker;
using Microsoft.Extensions.Time.Testing;

namespace Acgs.Core.Tests.CircuitBreaker;

public sealed class CircuitBreakerRegistryTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingListener _listener = new();

    [Fact]
    public void Get_SameName_ReturnsSameBreaker()
    {
        var registry = new CircuitBreakerRegistry(_time);

        var a = registry.Get("policy-registry");
        var b = registry.Get("policy-registry");
        var c = registry.Get("audit-ledger");

        Assert.Same(a, b);
        Assert.NotSame(a, c);
        Assert.Equal("policy-registry", a.Name);
        Assert.Equal(2, registry.Count);
    }

    [Theory]
    [MemberData(nameof(ServiceBreakerDefaultsTests.SeedTable), MemberType = typeof(ServiceBreakerDefaultsTests))]
    public void Get_SeedService_UsesSeedDefaults(string service, int failMax, int resetSeconds)
    {
        var breaker = new CircuitBreakerRegistry(_time).Get(service);

        Assert.Equal(failMax, breaker.Options.FailMax);
        Assert.Equal(TimeSpan.FromSeconds(resetSeconds), breaker.Options.ResetTimeout);
    }

    [Fact]
    public void Get_SeedService_TripsOnItsOwnFailMax()
    {
        var breaker = new CircuitBreakerRegistry(_time).Get("opa-client");

        var results = new List<bool>();
        for (var i = 0; i < 3; i++)
        {
            results.Add(breaker.Record(breaker.TryAcquire(), CircuitOutcome.Failure));
        }

        Assert.Equal([false, false, true], results);
        Assert.Equal(TimeSpan.FromSeconds(15), breaker.RetryAfter);
    }

    [Fact]
    public void Get_ConstructorOverride_WinsOverSeed()
    {
        var overrides = new Dictionary<string, CircuitBreakerOptions>
        {
            ["audit-ledger"] = new() { FailMax = 2, ResetTimeout = TimeSpan.FromSeconds(5) },
        };
        var registry = new CircuitBreakerRegistry(_time, overrides: overrides);

        Assert.Equal(2, registry.Get("audit-ledger").Options.FailMax);
        Assert.Equal(3, registry.Get("opa-client").Options.FailMax);
        Assert.Equal(2, registry.OptionsFor("audit-ledger").FailMax);
    }

    [Fact]
    public void ApplyOverrides_ExistingBreakers_UpdatedAndStateKept()
    {
        var registry = new CircuitBreakerRegistry(_time, [_listener]);
        var audit = registry.Get("audit-ledger");
        var opa = registry.Get("opa-client");
        opa.Isolate();
        var replacement = new CircuitBreakerOptions { FailMax = 2, ResetTimeout = TimeSpan.FromSeconds(5) };

        registry.ApplyOverrides(new Dictionary<string, CircuitBreakerOptions>
        {
            ["audit-ledger"] = replacement,
            ["opa-client"] = replacement,
        });

        Assert.Same(replacement, audit.Options);
        Assert.Same(replacement, opa.Options);
        Assert.Equal(CircuitState.Open, opa.State);
        Assert.Equal(TimeSpan.FromSeconds(5), opa.RetryAfter);
        Assert.False(audit.Record(audit.TryAcquire(), CircuitOutcome.Failure));
        Assert.True(audit.Record(audit.TryAcquire(), CircuitOutcome.Failure));
    }

    [Fact]
    public void ApplyOverrides_OverrideRemoved_FallsBackToSeed()
    {
        var registry = new CircuitBreakerRegistry(_time);
        var audit = registry.Get("audit-ledger");
        registry.ApplyOverrides(new Dictionary<string, CircuitBreakerOptions> { ["audit-ledger"] = new() { FailMax = 1 } });

        registry.ApplyOverrides(new Dictionary<string, CircuitBreakerOptions>());

        Assert.Equal(7, audit.Options.FailMax);
        Assert.Equal(TimeSpan.FromSeconds(60), audit.Options.ResetTimeout);
    }

    [Fact]
    public void ApplyOverrides_NewBreakerAfterwards_GetsOverride()
    {
        var registry = new CircuitBreakerRegistry(_time);

        registry.ApplyOverrides(new Dictionary<string, CircuitBreakerOptions> { ["new-service"] = new() { FailMax = 9 } });

        Assert.Equal(9, registry.Get("new-service").Options.FailMax);
    }

    [Fact]
    public void ApplyOverrides_InvalidEntries_ThrowsListingEveryErrorAndChangesNothing()
    {
        var registry = new CircuitBreakerRegistry(_time);
        var audit = registry.Get("audit-ledger");
        var before = audit.Options;

        var ex = Assert.Throws<ArgumentException>(() => registry.ApplyOverrides(new Dictionary<string, CircuitBreakerOptions>
        {
            ["audit-ledger"] = new() { FailMax = 0 },
            ["vector-search"] = new() { ResetTimeout = TimeSpan.Zero },
        }));

        Assert.Contains("audit-ledger", ex.Message, StringComparison.Ordinal);
        Assert.Contains("fail_max", ex.Message, StringComparison.Ordinal);
        Assert.Contains("vector-search", ex.Message, StringComparison.Ordinal);
        Assert.Contains("reset_timeout", ex.Message, StringComparison.Ordinal);
        Assert.Same(before, audit.Options);
        Assert.Equal(before, registry.OptionsFor("audit-ledger"));
        Assert.Equal(5, registry.Get("vector-search").Options.FailMax);
    }

    [Fact]
    public void ResetAll_SomeOpen_ClosesEveryBreaker()
    {
        var registry = new CircuitBreakerRegistry(_time, [_listener]);
        registry.Get("a").Isolate();
        registry.Get("b").Isolate();
        _ = registry.Get("c");

        registry.ResetAll();

        Assert.All(registry.Snapshot(), b => Assert.Equal(CircuitState.Closed, b.State));
        Assert.Equal(2, _listener.Count(CircuitState.Open, CircuitState.Closed));
    }

    [Fact]
    public void Snapshot_SeveralBreakers_OrderedByName()
    {
        var registry = new CircuitBreakerRegistry(_time);
        _ = registry.Get("vector-search");
        _ = registry.Get("audit-ledger");
        _ = registry.Get("opa-client");

        Assert.Equal(["audit-ledger", "opa-client", "vector-search"], registry.Snapshot().Select(b => b.Name));
    }

    [Fact]
    public void TryGet_UnknownAndKnown_ReportsExistenceWithoutCreating()
    {
        var registry = new CircuitBreakerRegistry(_time);

        Assert.False(registry.TryGet("opa-client", out var missing));
        Assert.Null(missing);
        Assert.Equal(0, registry.Count);
        var created = registry.Get("opa-client");
        Assert.True(registry.TryGet("opa-client", out var found));
        Assert.Same(created, found);
    }

    [Fact]
    public void Get_RegistryListeners_SeeTransitionsOfEveryBreaker()
    {
        var registry = new CircuitBreakerRegistry(_time, [_listener]);

        registry.Get("a").Isolate();
        registry.Get("b").Isolate();

        Assert.Equal(["a", "b"], _listener.Breakers.Select(b => b.Name));
    }

    [Fact]
    public void Get_RegistryTime_DrivesTheResetTimeout()
    {
        var registry = new CircuitBreakerRegistry(_time);
        var breaker = registry.Get("opa-client");
        breaker.Isolate();

        _time.Advance(TimeSpan.FromSeconds(15));

        Assert.True(breaker.TryAcquire().IsTrial);
    }

    [Fact]
    public void Get_EmptyName_Throws()
    {
        Assert.Throws<ArgumentException>(() => new CircuitBreakerRegistry(_time).Get(""));
    }
}
