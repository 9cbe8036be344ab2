// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.CircuitBreaker;
using Prometheus;

namespace Acgs.Sidecar.Telemetry;

/// <summary>
/// The breaker metrics in the host's registry: <c>acgs_circuit_state{cluster}</c> (0 closed,
/// 1 half-open, 2 open) and <c>acgs_circuit_transitions_total{cluster,from,to}</c>.
/// </summary>
internal sealed class BreakerMetrics
{
    /// <summary>Creates the collectors in <paramref name="metrics"/>' registry.</summary>
    public BreakerMetrics(SidecarMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        State = metrics.Factory.CreateGauge(
            "acgs_circuit_state",
            "Circuit breaker state per upstream cluster: 0 closed, 1 half-open, 2 open.",
            ["cluster"]);
        Transitions = metrics.Factory.CreateCounter(
            "acgs_circuit_transitions_total",
            "Circuit breaker state transitions per upstream cluster.",
            ["cluster", "from", "to"]);
    }

    /// <summary><c>acgs_circuit_state{cluster}</c>.</summary>
    public Gauge State { get; }

    /// <summary><c>acgs_circuit_transitions_total{cluster,from,to}</c>.</summary>
    public Counter Transitions { get; }

    /// <summary>The label value of a state: <c>closed</c>, <c>half_open</c>, <c>open</c>.</summary>
    public static string Label(CircuitState state) => state switch
    {
        CircuitState.Closed => "closed",
        CircuitState.HalfOpen => "half_open",
        CircuitState.Open => "open",
        _ => "unknown",
    };

    /// <summary>Publishes the current state of <paramref name="breaker"/> (e.g. when it is first used).</summary>
    public void Publish(CircuitBreaker breaker)
    {
        ArgumentNullException.ThrowIfNull(breaker);
        State.WithLabels(breaker.Name).Set((int)breaker.State);
    }

    /// <summary>Records a transition of <paramref name="breaker"/>.</summary>
    public void Transition(CircuitBreaker breaker, CircuitState previous, CircuitState current)
    {
        ArgumentNullException.ThrowIfNull(breaker);
        State.WithLabels(breaker.Name).Set((int)current);
        Transitions.WithLabels(breaker.Name, Label(previous), Label(current)).Inc();
    }
}
