// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.CircuitBreaker;

namespace Acgs.Contracts.Config;

/// <summary>A per-cluster circuit-breaker override (JSON <c>breaker</c>; pybreaker's settings).</summary>
public sealed record BreakerSettings
{
    /// <summary>Consecutive failures that open the breaker (JSON <c>fail_max</c>), 1–10000. Default 5.</summary>
    public int FailMax { get; init; } = 5;

    /// <summary>Seconds the breaker stays open before one trial (JSON <c>reset_timeout_seconds</c>), (0, 3600]. Default 30.</summary>
    public double ResetTimeoutSeconds { get; init; } = 30;

    /// <summary>The shared breaker options these settings mean. Call only on validated settings.</summary>
    public CircuitBreakerOptions ToOptions() => new()
    {
        FailMax = FailMax,
        ResetTimeout = TimeSpan.FromSeconds(ResetTimeoutSeconds),
    };
}
