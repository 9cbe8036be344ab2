// Constitutional Hash: cdd01ef066bc6cf2

using Polly;

namespace Acgs.Core.CircuitBreaker;

/// <summary>Options of the Polly strategy that runs calls through an ACGS <see cref="CircuitBreaker"/>.</summary>
/// <typeparam name="TResult">The result type of the pipeline.</typeparam>
public sealed class AcgsCircuitBreakerStrategyOptions<TResult> : ResilienceStrategyOptions
{
    /// <summary>Creates options with the default name.</summary>
    public AcgsCircuitBreakerStrategyOptions() => Name = "AcgsCircuitBreaker";

    /// <summary>The breaker to use (required).</summary>
    public CircuitBreaker? Breaker { get; set; }

    /// <summary>
    /// Classifies an outcome. Default: any exception is a failure except
    /// <see cref="OperationCanceledException"/> (abandoned); any result is a success.
    /// </summary>
    public Func<Outcome<TResult>, CircuitOutcome> Classify { get; set; } = DefaultClassify;

    private static CircuitOutcome DefaultClassify(Outcome<TResult> outcome) => outcome.Exception switch
    {
        null => CircuitOutcome.Success,
        OperationCanceledException => CircuitOutcome.Abandoned,
        _ => CircuitOutcome.Failure,
    };
}
