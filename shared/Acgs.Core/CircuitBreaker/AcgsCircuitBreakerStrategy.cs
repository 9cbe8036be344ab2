// Constitutional Hash: cdd01ef066bc6cf2

using Polly;
using Polly.CircuitBreaker;

namespace Acgs.Core.CircuitBreaker;

/// <summary>
/// A Polly v8 strategy around an ACGS <see cref="CircuitBreaker"/>: while the breaker refuses, the
/// callback is not invoked and the outcome is a <see cref="BrokenCircuitException"/> carrying the
/// retry-after; the call that trips the breaker fails the same way (pybreaker semantics).
/// </summary>
internal sealed class AcgsCircuitBreakerStrategy<TResult> : ResilienceStrategy<TResult>
{
    private readonly CircuitBreaker _breaker;
    private readonly Func<Outcome<TResult>, CircuitOutcome> _classify;

    public AcgsCircuitBreakerStrategy(CircuitBreaker breaker, Func<Outcome<TResult>, CircuitOutcome> classify)
    {
        _breaker = breaker;
        _classify = classify;
    }

    protected override async ValueTask<Outcome<TResult>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback,
        ResilienceContext context,
        TState state)
    {
        var permit = _breaker.TryAcquire();
        if (!permit.IsAllowed)
        {
            return Outcome.FromException<TResult>(Broken());
        }

        Outcome<TResult> outcome;
        try
        {
            outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        }
        catch (OperationCanceledException)
        {
            _breaker.Record(permit, CircuitOutcome.Abandoned);
            throw;
        }
        catch
        {
            _breaker.Record(permit, CircuitOutcome.Failure);
            throw;
        }

        var tripped = _breaker.Record(permit, _classify(outcome));
        return tripped ? Outcome.FromException<TResult>(Broken()) : outcome;
    }

    private BrokenCircuitException Broken()
    {
        var retryAfter = _breaker.RetryAfter;
        return new BrokenCircuitException($"{AcgsConstants.LogPrefix} circuit '{_breaker.Name}' is open", retryAfter);
    }
}
