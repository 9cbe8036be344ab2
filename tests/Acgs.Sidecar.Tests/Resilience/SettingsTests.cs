// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.CircuitBreaker;
using Acgs.Sidecar.Resilience;
using Xunit;

namespace Acgs.Sidecar.Tests.Resilience;

public sealed class SettingsTests
{
    [Fact]
    public void Default_MeshDefaults()
    {
        var settings = ClusterResilience.Default;

        Assert.Equal(5, settings.Breaker.FailMax);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.Breaker.ResetTimeout);
        Assert.Null(settings.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.EffectiveTimeout);
        Assert.False(settings.Retry.Enabled);
        Assert.Equal([502, 503, 504], settings.FailureStatuses.ToArray());
        Assert.Empty(settings.Validate());
    }

    [Fact]
    public void For_SeedService_SeedBreaker_OtherwiseDefault()
    {
        Assert.Equal(3, ClusterResilience.For("policy-registry").Breaker.FailMax);
        Assert.Equal(TimeSpan.FromSeconds(45), ClusterResilience.For("deliberation-layer").Breaker.ResetTimeout);
        Assert.Same(ClusterResilience.Default, ClusterResilience.For("some-service"));
    }

    [Fact]
    public void Validate_EveryProblem_ReportedAtOnce()
    {
        var settings = new ClusterResilience(
            new CircuitBreakerOptions { FailMax = 0, ResetTimeout = TimeSpan.Zero },
            TimeSpan.FromSeconds(-1),
            new RetrySettings
            {
                MaxAttempts = 11,
                PerTryTimeout = TimeSpan.Zero,
                BackoffBase = TimeSpan.FromSeconds(-1),
                BudgetRatio = double.NaN,
                BudgetMinRetriesPerSecond = -1,
                BudgetWindow = TimeSpan.Zero,
            });

        var errors = settings.Validate();

        Assert.Equal(9, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("fail_max", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("reset_timeout", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("timeout", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("retry.max_attempts", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("retry.per_try_timeout", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("retry.backoff_base", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("retry.budget_ratio", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("retry.budget_min_retries_per_second", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("retry.budget_window", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_InfiniteTimeout_Valid()
    {
        Assert.Empty((ClusterResilience.Default with { Timeout = Timeout.InfiniteTimeSpan }).Validate());
    }

    [Fact]
    public void StatusCodeSet_ContainsOnlyItsCodes()
    {
        var set = StatusCodeSet.Of(429, 503);

        Assert.True(set.Contains(429));
        Assert.True(set.Contains(503));
        Assert.False(set.Contains(502));
        Assert.False(set.Contains(0));
        Assert.False(set.Contains(-1));
        Assert.False(set.Contains(1000));
        Assert.Equal(2, set.Count);
        Assert.Equal("429,503", set.ToString());
    }

    [Fact]
    public void StatusCodeSet_OutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StatusCodeSet.Of(99));
        Assert.Throws<ArgumentOutOfRangeException>(() => StatusCodeSet.Of(600));
    }

    [Fact]
    public void Records_WithEqualStatusSets_AreEqual()
    {
        var a = ClusterResilience.Default with { FailureStatuses = StatusCodeSet.Of(500, 503) };
        var b = ClusterResilience.Default with { FailureStatuses = StatusCodeSet.Of(503, 500) };

        Assert.Equal(a, b);
        Assert.NotEqual(a, ClusterResilience.Default);
    }
}
