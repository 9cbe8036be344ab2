// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Core.CircuitBreaker;

/// <summary>State of a circuit breaker; the numeric values are the <c>acgs_circuit_state</c> gauge.</summary>
public enum CircuitState
{
    /// <summary>Calls flow; consecutive failures are counted.</summary>
    Closed = 0,

    /// <summary>The reset timeout has passed: one trial call is allowed through.</summary>
    HalfOpen = 1,

    /// <summary>Calls fail fast without reaching the upstream.</summary>
    Open = 2,
}
