// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Telemetry;
using Prometheus;

namespace Acgs.ControlPlane.Rollouts;

/// <summary>
/// Rollout metrics, in the control plane's registry (served at <c>/metrics</c>):
/// <c>acgs_controlplane_rollouts{phase}</c> (rollouts the replica holds, finished ones kept for the API included),
/// <c>acgs_controlplane_rollout_rollbacks_total{reason}</c> (<see cref="RolloutReasons"/>) and
/// <c>acgs_controlplane_rollout_green_weight{service}</c> (the green weight of each service's latest rollout).
/// </summary>
internal sealed class RolloutMetrics
{
    public RolloutMetrics(ControlPlaneMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var factory = Metrics.WithCustomRegistry(metrics.Registry);
        Rollouts = factory.CreateGauge("acgs_controlplane_rollouts", "Rollouts this replica holds, by phase (progressing, paused, succeeded, rolled_back).", "phase");
        Rollbacks = factory.CreateCounter("acgs_controlplane_rollout_rollbacks_total", "Rollouts rolled back to 100 % blue, by reason (health_score, no_health_data, breaker_open, aborted).", "reason");
        GreenWeight = factory.CreateGauge("acgs_controlplane_rollout_green_weight", "Percent of a service's traffic its latest rollout sends to green.", "service");
        foreach (var phase in RolloutPhases.All)
        {
            Rollouts.WithLabels(RolloutPhases.Name(phase)).Set(0);
        }

        foreach (var reason in RolloutReasons.All)
        {
            Rollbacks.WithLabels(reason);
        }
    }

    /// <summary><c>acgs_controlplane_rollouts{phase}</c>.</summary>
    public Gauge Rollouts { get; }

    /// <summary><c>acgs_controlplane_rollout_rollbacks_total{reason}</c>.</summary>
    public Counter Rollbacks { get; }

    /// <summary><c>acgs_controlplane_rollout_green_weight{service}</c>.</summary>
    public Gauge GreenWeight { get; }
}
