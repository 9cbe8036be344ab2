// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.CircuitBreaker;
using Prometheus;

namespace Acgs.Sidecar.Telemetry;

/// <summary>
/// The breaker metrics (docs/resilience.md) in prometheus-net's default registry:
/// <c>acgs_circuit_state{cluster}</c> (0 closed, 1 half-open, 2 open) and
/// <c>acgs_circuit_transitions_total{cluster,from,to}</c>.
/// </summary>
internal static class BreakerMetrics
{
    /// <summary><c>acgs_circuit_state{cluster}</c>.</summary>
    public static Gauge State { get; } = Metrics.CreateGauge(
        "acgs_circuit_state",
        "Circuit breaker state per upstream cluster: 0 closed, 1 half-open, 2 open.",
        "cluster");

    /// <summary><c>acgs_circuit_transitions_total{cluster,from,to}</c>.</summary>
    public static Counter Transitions { get; } = Metrics.CreateCounter(
        "acgs_circuit_transitions_total",
        "Circuit breaker state transitions per upstream cluster.",
        "cluster",
        "from",
        "to");

    /// <summary>Publishes the current state of <paramref name="breaker"/> (e.g. when it is first used).</summary>
    public static void Publish(CircuitBreaker breaker)
    {
        ArgumentNullException.ThrowIfNull(breaker);
        State.WithLabels(breaker.Name).Set((int)breaker.State);
    }

    /// <summary>The label value of a state: <c>closed</c>, <c>half_open</c>, <c>open</c>.</summary>
    public static string Label(CircuitState state) => state switch
    {
        CircuitState.Closed => "closed",
        CircuitState.HalfOpen => "half_open",
        CircuitState.Open => "open",
        _ => "unknown",
    };
}
