// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.CircuitBreaker;

namespace Acgs.Core.Tests.CircuitBreaker;

/// <summary>Holding a breaker open (chaos force-open) and releasing it, on fake time.</summary>
public sealed class CircuitBreakerHoldTests
{
    [Fact]
    public void HoldOpen_ClosedBreaker_OpensNotifiesAndReturnsToken()
    {
        var f = new BreakerFixture();

        var token = f.Breaker.HoldOpen();

        Assert.NotEqual(0, token);
        Assert.Equal(CircuitState.Open, f.Breaker.State);
        Assert.True(f.Breaker.IsHeldOpen);
        Assert.False(f.Breaker.TryAcquire().IsAllowed);
        Assert.Contains((CircuitState.Closed, CircuitState.Open), f.Listener.Transitions);
    }

    [Fact]
    public void TryAcquire_HeldPastResetTimeout_NoTrial()
    {
        var f = new BreakerFixture();
        f.Breaker.HoldOpen();

        f.Time.Advance(BreakerFixture.ResetTimeout * 5);

        Assert.False(f.Breaker.TryAcquire().IsAllowed);
        Assert.Equal(CircuitState.Open, f.Breaker.State);
    }

    [Fact]
    public void ReleaseHold_TokenOfOpeningHold_Closes()
    {
        var f = new BreakerFixture();
        var token = f.Breaker.HoldOpen();
        f.Time.Advance(BreakerFixture.ResetTimeout * 2);

        f.Breaker.ReleaseHold(token);

        Assert.Equal(CircuitState.Closed, f.Breaker.State);
        Assert.False(f.Breaker.IsHeldOpen);
        Assert.True(f.Breaker.TryAcquire().IsAllowed);
    }

    [Fact]
    public void HoldOpen_BreakerOpenedByFailures_ZeroTokenAndReleaseKeepsItOpen()
    {
        var f = new BreakerFixture();
        f.Trip();

        var token = f.Breaker.HoldOpen();
        f.Time.Advance(BreakerFixture.ResetTimeout * 2);
        Assert.False(f.Breaker.TryAcquire().IsAllowed); // held: no trial although the timer passed
        f.Breaker.ReleaseHold(token);

        Assert.Equal(0, token);
        Assert.Equal(CircuitState.Open, f.Breaker.State);
        Assert.False(f.Breaker.IsHeldOpen);
        var trial = f.Breaker.TryAcquire(); // its own timer has passed: the ordinary trial
        Assert.True(trial.IsAllowed);
        Assert.True(trial.IsTrial);
    }

    [Fact]
    public void ReleaseHold_ResetAndTrippedWhileHeld_StaysOpen()
    {
        var f = new BreakerFixture();
        var token = f.Breaker.HoldOpen();
        f.Breaker.Reset(); // an operator reset: closed while the rule is still active
        f.Trip();          // then real failures open it again

        f.Breaker.ReleaseHold(token);

        Assert.Equal(CircuitState.Open, f.Breaker.State);
        Assert.False(f.Breaker.IsHeldOpen);
    }

    [Fact]
    public void RetryAfter_HeldUntil_ReportsTimeToHoldEnd()
    {
        var f = new BreakerFixture();
        f.Breaker.HoldOpen(f.Time.GetUtcNow().AddSeconds(90));

        f.Time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(TimeSpan.FromSeconds(60), f.Breaker.RetryAfter);
    }

    [Fact]
    public void RetryAfter_HeldWithoutEnd_ResetTimerLeft()
    {
        var f = new BreakerFixture();
        f.Breaker.HoldOpen();

        f.Time.Advance(TimeSpan.FromSeconds(4));

        Assert.Equal(BreakerFixture.ResetTimeout - TimeSpan.FromSeconds(4), f.Breaker.RetryAfter);
    }
}
