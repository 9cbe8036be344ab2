// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.CircuitBreaker;

namespace Acgs.Sidecar.Telemetry;

/// <summary>Keeps <c>acgs_circuit_state</c> and <c>acgs_circuit_transitions_total</c> up to date on every breaker transition.</summary>
internal sealed class BreakerMetricsListener(BreakerMetrics metrics) : ICircuitBreakerListener
{
    /// <inheritdoc />
    public void OnStateChanged(CircuitBreaker breaker, CircuitState previous, CircuitState current) =>
        metrics.Transition(breaker, previous, current);
}
