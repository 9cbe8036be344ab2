// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.CircuitBreaker;

namespace Acgs.Core.Tests.CircuitBreaker;

/// <summary>Every breaker transition (docs/resilience.md), on fake time.</summary>
public sealed class CircuitBreakerTransitionTests
{
    [Fact]
    public void TryAcquire_NewBreaker_AllowsNonTrialCall()
    {
        var f = new BreakerFixture();

        var permit = f.Breaker.TryAcquire();

        Assert.True(permit.IsAllowed);
        Assert.False(permit.IsTrial);
        Assert.Equal(CircuitState.Closed, f.Breaker.State);
        Assert.Equal(TimeSpan.Zero, f.Breaker.RetryAfter);
    }

    [Fact]
    public void Record_FailuresBelowFailMax_StaysClosedAndCounts()
    {
        var f = new BreakerFixture();

        Assert.False(f.Call(CircuitOutcome.Failure));
        Assert.False(f.Call(CircuitOutcome.Failure));

        Assert.Equal(CircuitState.Closed, f.Breaker.State);
        Assert.Equal(2, f.Breaker.ConsecutiveFailures);
        Assert.Empty(f.Listener.Transitions);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    public void Record_FailMaxthConsecutiveFailure_OpensAndReturnsTrueForTrippingCall(int failMax)
    {
        var f = new BreakerFixture(failMax);

        for (var i = 1; i < failMax; i++)
        {
            Assert.False(f.Call(CircuitOutcome.Failure));
            Assert.Equal(CircuitState.Closed, f.Breaker.State);
        }

        Assert.True(f.Call(CircuitOutcome.Failure));
        Assert.Equal(CircuitState.Open, f.Breaker.State);
        Assert.Equal([(CircuitState.Closed, CircuitState.Open)], f.Listener.Transitions);
    }

    [Fact]
    public void TryAcquire_WhileOpen_RejectsWithRetryAfterCountingDown()
    {
        var f = new BreakerFixture();
        f.Trip();

        Assert.Equal(BreakerFixture.ResetTimeout, f.Breaker.RetryAfter);
        Assert.False(f.Breaker.TryAcquire().IsAllowed);

        f.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(TimeSpan.FromSeconds(6), f.Breaker.RetryAfter);
        Assert.False(f.Breaker.TryAcquire().IsAllowed);

        f.Time.Advance(TimeSpan.FromSeconds(6) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(TimeSpan.FromMilliseconds(1), f.Breaker.RetryAfter);
        var permit = f.Breaker.TryAcquire();
        Assert.False(permit.IsAllowed);
        Assert.False(permit.IsTrial);
        Assert.Equal(CircuitState.Open, f.Breaker.State);
    }

    [Fact]
    public void TryAcquire_AfterResetTimeout_MovesToHalfOpenAndIssuesOneTrial()
    {
        var f = new BreakerFixture();
        f.Trip();
        f.Time.Advance(BreakerFixture.ResetTimeout);

        // Half-open is entered by the next call, not by the clock alone.
        Assert.Equal(CircuitState.Open, f.Breaker.State);
        Assert.Equal(TimeSpan.Zero, f.Breaker.RetryAfter);

        var trial = f.Breaker.TryAcquire();
        var second = f.Breaker.TryAcquire();

        Assert.True(trial.IsAllowed);
        Assert.True(trial.IsTrial);
        Assert.False(second.IsAllowed);
        Assert.Equal(CircuitState.HalfOpen, f.Breaker.State);
        Assert.Equal(TimeSpan.Zero, f.Breaker.RetryAfter);
        Assert.Equal(
            [(CircuitState.Closed, CircuitState.Open), (CircuitState.Open, CircuitState.HalfOpen)],
            f.Listener.Transitions);
    }

    [Theory]
    [InlineData(CircuitOutcome.Success)]
    [InlineData(CircuitOutcome.Excluded)]
    public void Record_TrialSucceeds_Closes(CircuitOutcome outcome)
    {
        var f = new BreakerFixture();
        var trial = f.TakeTrial();

        Assert.False(f.Breaker.Record(trial, outcome));

        Assert.Equal(CircuitState.Closed, f.Breaker.State);
        Assert.Equal(0, f.Breaker.ConsecutiveFailures);
        var next = f.Breaker.TryAcquire();
        Assert.True(next.IsAllowed);
        Assert.False(next.IsTrial);
        Assert.Equal(CircuitState.Closed, f.Listener.Transitions[^1].Current);
        Assert.Equal(CircuitState.HalfOpen, f.Listener.Transitions[^1].Previous);
    }

    [Fact]
    public void Record_TrialFails_ReopensWithFreshTimer()
    {
        var f = new BreakerFixture();
        var trial = f.TakeTrial();
        f.Time.Advance(TimeSpan.FromSeconds(3)); // the trial takes a while

        Assert.False(f.Breaker.Record(trial, CircuitOutcome.Failure));

        Assert.Equal(CircuitState.Open, f.Breaker.State);
        Assert.Equal(BreakerFixture.ResetTimeout, f.Breaker.RetryAfter);
        f.Time.Advance(BreakerFixture.ResetTimeout - TimeSpan.FromTicks(1));
        Assert.False(f.Breaker.TryAcquire().IsAllowed);
        f.Time.Advance(TimeSpan.FromTicks(1));
        Assert.True(f.Breaker.TryAcquire().IsTrial);
        Assert.Equal(
            [
                (CircuitState.Closed, CircuitState.Open),
                (CircuitState.Open, CircuitState.HalfOpen),
                (CircuitState.HalfOpen, CircuitState.Open),
                (CircuitState.Open, CircuitState.HalfOpen),
            ],
            f.Listener.Transitions);
    }

    [Fact]
    public void Record_TrialAbandoned_ReleasesSlotForNextCaller()
    {
        var f = new BreakerFixture();
        var trial = f.TakeTrial();
        Assert.False(f.Breaker.TryAcquire().IsAllowed);

        Assert.False(f.Breaker.Record(trial, CircuitOutcome.Abandoned));

        Assert.Equal(CircuitState.HalfOpen, f.Breaker.State);
        var next = f.Breaker.TryAcquire();
        Assert.True(next.IsAllowed);
        Assert.True(next.IsTrial);
        Assert.False(f.Breaker.TryAcquire().IsAllowed);
        Assert.False(f.Breaker.Record(next, CircuitOutcome.Success));
        Assert.Equal(CircuitState.Closed, f.Breaker.State);
    }

    [Theory]
    [InlineData(CircuitOutcome.Success)]
    [InlineData(CircuitOutcome.Excluded)]
    public void Record_SuccessOrExcludedBetweenFailures_ResetsConsecutiveCount(CircuitOutcome reset)
    {
        var f = new BreakerFixture();

        f.Call(CircuitOutcome.Failure);
        f.Call(CircuitOutcome.Failure);
        Assert.False(f.Call(reset));
        Assert.Equal(0, f.Breaker.ConsecutiveFailures);
        Assert.False(f.Call(CircuitOutcome.Failure));
        Assert.False(f.Call(CircuitOutcome.Failure));
        Assert.Equal(CircuitState.Closed, f.Breaker.State);

        Assert.True(f.Call(CircuitOutcome.Failure));
        Assert.Equal(CircuitState.Open, f.Breaker.State);
    }

    [Fact]
    public void Record_AbandonedBetweenFailures_NeitherCountsNorResets()
    {
        var f = new BreakerFixture();

        f.Call(CircuitOutcome.Failure);
        f.Call(CircuitOutcome.Failure);
        Assert.False(f.Call(CircuitOutcome.Abandoned));
        Assert.Equal(2, f.Breaker.ConsecutiveFailures);

        Assert.True(f.Call(CircuitOutcome.Failure));
        Assert.Equal(CircuitState.Open, f.Breaker.State);
    }

    [Fact]
    public void Record_RejectedPermit_IsIgnored()
    {
        var f = new BreakerFixture(failMax: 1);

        Assert.False(f.Breaker.Record(CircuitPermit.Rejected, CircuitOutcome.Failure));

        Assert.Equal(CircuitState.Closed, f.Breaker.State);
        Assert.Equal(0, f.Breaker.ConsecutiveFailures);
    }

    [Fact]
    public void Record_ClosedPermitIssuedBeforeTrip_IsIgnored()
    {
        var f = new BreakerFixture();
        var stale = f.Breaker.TryAcquire();
        f.Trip();

        Assert.False(f.Breaker.Record(stale, CircuitOutcome.Failure));
        Assert.False(f.Breaker.Record(stale, CircuitOutcome.Success));

        Assert.Equal(CircuitState.Open, f.Breaker.State);
        Assert.Single(f.Listener.Transitions);
    }

    [Fact]
    public void Record_ClosedPermitFromPreviousClosedPeriod_DoesNotCount()
    {
        var f = new BreakerFixture(failMax: 1);
        var stale = f.Breaker.TryAcquire();
        var trial = f.TakeTrial();
        Assert.False(f.Breaker.Record(trial, CircuitOutcome.Success));
        Assert.Equal(CircuitState.Closed, f.Breaker.State);

        // fail_max is 1: if the stale permit counted, this failure would open the breaker again.
        Assert.False(f.Breaker.Record(stale, CircuitOutcome.Failure));

        Assert.Equal(CircuitState.Closed, f.Breaker.State);
        Assert.Equal(0, f.Breaker.ConsecutiveFailures);
    }

    [Fact]
    public void Record_TrialPermitAfterIsolate_IsIgnored()
    {
        var f = new BreakerFixture();
        var trial = f.TakeTrial();
        f.Breaker.Isolate();

        Assert.False(f.Breaker.Record(trial, CircuitOutcome.Success));

        Assert.Equal(CircuitState.Open, f.Breaker.State);
        Assert.Equal(BreakerFixture.ResetTimeout, f.Breaker.RetryAfter);
    }

    [Fact]
    public void Record_TrialPermitAfterReset_DoesNotReopen()
    {
        var f = new BreakerFixture();
        var trial = f.TakeTrial();
        f.Breaker.Reset();

        Assert.False(f.Breaker.Record(trial, CircuitOutcome.Failure));

        Assert.Equal(CircuitState.Closed, f.Breaker.State);
        Assert.Equal(0, f.Breaker.ConsecutiveFailures);
    }

    [Fact]
    public void Reset_WhenOpen_ClosesAndNotifiesOnce()
    {
        var f = new BreakerFixture();
        f.Trip();

        f.Breaker.Reset();
        f.Breaker.Reset();

        Assert.Equal(CircuitState.Closed, f.Breaker.State);
        Assert.Equal(TimeSpan.Zero, f.Breaker.RetryAfter);
        Assert.True(f.Breaker.TryAcquire().IsAllowed);
        Assert.Equal(
            [(CircuitState.Closed, CircuitState.Open), (CircuitState.Open, CircuitState.Closed)],
            f.Listener.Transitions);
    }

    [Fact]
    public void Reset_WhenClosed_ClearsConsecutiveFailuresWithoutNotifying()
    {
        var f = new BreakerFixture();
        f.Call(CircuitOutcome.Failure);
        f.Call(CircuitOutcome.Failure);

        f.Breaker.Reset();

        Assert.Equal(0, f.Breaker.ConsecutiveFailures);
        Assert.False(f.Call(CircuitOutcome.Failure));
        Assert.Equal(CircuitState.Closed, f.Breaker.State);
        Assert.Empty(f.Listener.Transitions);
    }

    [Fact]
    public void Isolate_WhenClosed_OpensWithFullRetryAfter()
    {
        var f = new BreakerFixture();

        f.Breaker.Isolate();

        Assert.Equal(CircuitState.Open, f.Breaker.State);
        Assert.Equal(BreakerFixture.ResetTimeout, f.Breaker.RetryAfter);
        Assert.False(f.Breaker.TryAcquire().IsAllowed);
        Assert.Equal([(CircuitState.Closed, CircuitState.Open)], f.Listener.Transitions);
    }

    [Fact]
    public void Isolate_WhenOpen_RestartsTimerWithoutNotifyingAgain()
    {
        var f = new BreakerFixture();
        f.Trip();
        f.Time.Advance(TimeSpan.FromSeconds(8));

        f.Breaker.Isolate();

        Assert.Equal(BreakerFixture.ResetTimeout, f.Breaker.RetryAfter);
        f.Time.Advance(TimeSpan.FromSeconds(8));
        Assert.False(f.Breaker.TryAcquire().IsAllowed);
        Assert.Single(f.Listener.Transitions);
    }

    [Fact]
    public void Isolate_WhenHalfOpen_Opens()
    {
        var f = new BreakerFixture();
        _ = f.TakeTrial();

        f.Breaker.Isolate();

        Assert.Equal(CircuitState.Open, f.Breaker.State);
        Assert.Equal((CircuitState.HalfOpen, CircuitState.Open), f.Listener.Transitions[^1]);
    }

    [Fact]
    public void UpdateOptions_NewFailMax_AppliesAndKeepsState()
    {
        var f = new BreakerFixture(failMax: 5);
        f.Call(CircuitOutcome.Failure);

        f.Breaker.UpdateOptions(new CircuitBreakerOptions { FailMax = 2, ResetTimeout = TimeSpan.FromSeconds(1) });

        Assert.Equal(CircuitState.Closed, f.Breaker.State);
        Assert.Equal(1, f.Breaker.ConsecutiveFailures);
        Assert.True(f.Call(CircuitOutcome.Failure));
        Assert.Equal(TimeSpan.FromSeconds(1), f.Breaker.RetryAfter);
    }

    [Fact]
    public void UpdateOptions_Invalid_ThrowsListingEveryErrorAndKeepsOldOptions()
    {
        var f = new BreakerFixture();

        var ex = Assert.Throws<ArgumentException>(() =>
            f.Breaker.UpdateOptions(new CircuitBreakerOptions { FailMax = 0, ResetTimeout = TimeSpan.Zero }));

        Assert.Contains("fail_max", ex.Message, StringComparison.Ordinal);
        Assert.Contains("reset_timeout", ex.Message, StringComparison.Ordinal);
        Assert.Same(f.Options, f.Breaker.Options);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsListingEveryError()
    {
        var options = new CircuitBreakerOptions { FailMax = -1, ResetTimeout = TimeSpan.FromHours(2) };

        var ex = Assert.Throws<ArgumentException>(() => new Acgs.Core.CircuitBreaker.CircuitBreaker("x", options));

        Assert.Contains("fail_max", ex.Message, StringComparison.Ordinal);
        Assert.Contains("reset_timeout", ex.Message, StringComparison.Ordinal);
    }
}
