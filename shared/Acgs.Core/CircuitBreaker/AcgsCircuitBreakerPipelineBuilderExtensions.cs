// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics.CodeAnalysis;
using Polly;

namespace Acgs.Core.CircuitBreaker;

/// <summary>Adds an ACGS circuit breaker to a Polly v8 pipeline.</summary>
public static class AcgsCircuitBreakerPipelineBuilderExtensions
{
    /// <summary>Adds the breaker described by <paramref name="options"/> to the pipeline.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The options type has no data-annotation attributes beyond Polly's own, which Polly preserves.")]
    public static ResiliencePipelineBuilder<TResult> AddAcgsCircuitBreaker<TResult>(
        this ResiliencePipelineBuilder<TResult> builder,
        AcgsCircuitBreakerStrategyOptions<TResult> options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var breaker = options.Breaker ?? throw new ArgumentException("Breaker is required.", nameof(options));
        var classify = options.Classify ?? throw new ArgumentException("Classify is required.", nameof(options));
        return builder.AddStrategy(_ => new AcgsCircuitBreakerStrategy<TResult>(breaker, classify), options);
    }
}
