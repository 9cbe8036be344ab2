// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.CircuitBreaker;
using Microsoft.Extensions.Time.Testing;
using Breaker = Acgs.Core.CircuitBreaker.CircuitBreaker;

namespace Acgs.Core.Tests.CircuitBreaker;

/// <summary>A breaker (fail_max 3, reset_timeout 10 s) on fake time with a recording listener.</summary>
internal sealed class BreakerFixture
{
    public static readonly TimeSpan ResetTimeout = TimeSpan.FromSeconds(10);

    public const int FailMax = 3;

    public BreakerFixture(int failMax = FailMax, params ICircuitBreakerListener[] extraListeners)
    {
        Options = new CircuitBreakerOptions { FailMax = failMax, ResetTimeout = ResetTimeout };
        Breaker = new Breaker("upstream", Options, Time, [.. extraListeners, Listener]);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public RecordingListener Listener { get; } = new();

    public CircuitBreakerOptions Options { get; }

    public Breaker Breaker { get; }

    /// <summary>Acquires a permit (asserting it is allowed) and records <paramref name="outcome"/>.</summary>
    public bool Call(CircuitOutcome outcome)
    {
        var permit = Breaker.TryAcquire();
        Assert.True(permit.IsAllowed, $"expected an allowed permit in state {Breaker.State}");
        return Breaker.Record(permit, outcome);
    }

    /// <summary>Drives the breaker open with fail_max consecutive failures.</summary>
    public void Trip()
    {
        for (var i = 0; i < Breaker.Options.FailMax; i++)
        {
            Call(CircuitOutcome.Failure);
        }

        Assert.Equal(CircuitState.Open, Breaker.State);
    }

    /// <summary>Opens the breaker, lets the reset timeout pass and takes the trial permit.</summary>
    public CircuitPermit TakeTrial()
    {
        Trip();
        Time.Advance(ResetTimeout);
        var trial = Breaker.TryAcquire();
        Assert.True(trial.IsAllowed);
        Assert.True(trial.IsTrial);
        return trial;
    }
}
