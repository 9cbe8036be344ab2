// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Core.CircuitBreaker;

/// <summary>Settings of one breaker (pybreaker's <c>fail_max</c> and <c>reset_timeout</c>).</summary>
public sealed record CircuitBreakerOptions
{
    /// <summary>The mesh-wide default: 5 consecutive failures, 30 s reset timeout.</summary>
    public static CircuitBreakerOptions Default { get; } = new();

    /// <summary>Consecutive failures that open the breaker; the <c>FailMax</c>-th one trips it. Default 5.</summary>
    public int FailMax { get; init; } = 5;

    /// <summary>How long the breaker stays open before one trial is allowed. Default 30 s.</summary>
    public TimeSpan ResetTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Every problem with these settings (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (FailMax is < 1 or > 10_000)
        {
            errors.Add($"fail_max must be between 1 and 10000, got {FailMax}");
        }

        if (ResetTimeout <= TimeSpan.Zero || ResetTimeout > TimeSpan.FromHours(1))
        {
            errors.Add($"reset_timeout must be greater than 0 and at most 1 hour, got {ResetTimeout}");
        }

        return errors;
    }
}
