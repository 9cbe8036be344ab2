// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.CircuitBreaker;

namespace Acgs.Core.Tests.CircuitBreaker;

public sealed class CircuitBreakerListenerTests
{
    [Fact]
    public void OnStateChanged_FullCycle_SeesEveryTransitionExactlyOnceInOrder()
    {
        var f = new BreakerFixture();

        var trial = f.TakeTrial();                          // Closed→Open, Open→HalfOpen
        f.Breaker.Record(trial, CircuitOutcome.Failure);    // HalfOpen→Open
        f.Time.Advance(BreakerFixture.ResetTimeout);
        trial = f.Breaker.TryAcquire();                     // Open→HalfOpen
        f.Breaker.Record(trial, CircuitOutcome.Success);    // HalfOpen→Closed
        f.Call(CircuitOutcome.Success);                     // no transition

        Assert.Equal(
            [
                (CircuitState.Closed, CircuitState.Open),
                (CircuitState.Open, CircuitState.HalfOpen),
                (CircuitState.HalfOpen, CircuitState.Open),
                (CircuitState.Open, CircuitState.HalfOpen),
                (CircuitState.HalfOpen, CircuitState.Closed),
            ],
            f.Listener.Transitions);
        Assert.All(f.Listener.Breakers, b => Assert.Same(f.Breaker, b));
    }

    [Fact]
    public void OnStateChanged_RejectedCallsWhileOpen_NotifyNothing()
    {
        var f = new BreakerFixture();
        f.Trip();

        for (var i = 0; i < 5; i++)
        {
            Assert.False(f.Breaker.TryAcquire().IsAllowed);
        }

        Assert.Single(f.Listener.Transitions);
    }

    [Fact]
    public void OnStateChanged_ListenerThrows_BreakerKeepsWorkingAndLaterListenersAreCalled()
    {
        var thrower = new ThrowingListener();
        var f = new BreakerFixture(BreakerFixture.FailMax, thrower);

        f.Call(CircuitOutcome.Failure);
        f.Call(CircuitOutcome.Failure);
        var tripped = f.Call(CircuitOutcome.Failure);
        f.Time.Advance(BreakerFixture.ResetTimeout);
        var trial = f.Breaker.TryAcquire();
        f.Breaker.Record(trial, CircuitOutcome.Success);

        Assert.True(tripped);
        Assert.True(trial.IsTrial);
        Assert.Equal(CircuitState.Closed, f.Breaker.State);
        Assert.Equal(3, thrower.Calls);
        Assert.Equal(3, f.Listener.Transitions.Count);
    }
}
