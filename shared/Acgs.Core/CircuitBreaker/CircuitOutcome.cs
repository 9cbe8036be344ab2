// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Core.CircuitBreaker;

/// <summary>How a call that went through the breaker ended.</summary>
public enum CircuitOutcome
{
    /// <summary>The upstream answered well: resets the consecutive-failure count; closes a half-open breaker.</summary>
    Success = 0,

    /// <summary>A transport error, timeout or failure status: counts towards opening; re-opens a half-open breaker.</summary>
    Failure = 1,

    /// <summary>
    /// An excluded outcome (a 4xx, or an error the caller marked as not the upstream's fault):
    /// as in pybreaker, it counts as a success.
    /// </summary>
    Excluded = 2,

    /// <summary>
    /// The call was abandoned before the upstream could answer (client cancellation): it neither
    /// counts nor resets; a half-open trial slot is released for the next caller.
    /// </summary>
    Abandoned = 3,
}
