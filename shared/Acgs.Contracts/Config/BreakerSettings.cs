// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.CircuitBreaker;

namespace Acgs.Contracts.Config;

/// <summary>A per-cluster circuit-breaker override (JSON <c>breaker</c>; pybreaker's settings).</summary>
public sealed record BreakerSettings
{
    /// <summary>Consecutive failures that open the breaker (JSON <c>fail_max</c>), 1–10000; null keeps the service's default.</summary>
    public int? FailMax { get; init; }

    /// <summary>Seconds the breaker stays open before one trial (JSON <c>reset_timeout_seconds</c>), (0, 3600]; null keeps the service's default.</summary>
    public double? ResetTimeoutSeconds { get; init; }

    /// <summary>
    /// The shared breaker options these settings mean on top of <paramref name="defaults"/> (the
    /// service's seed default or the mesh default). Call only on validated settings.
    /// </summary>
    public CircuitBreakerOptions ToOptions(CircuitBreakerOptions defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        return new()
        {
            FailMax = FailMax ?? defaults.FailMax,
            ResetTimeout = ResetTimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : defaults.ResetTimeout,
        };
    }
}
