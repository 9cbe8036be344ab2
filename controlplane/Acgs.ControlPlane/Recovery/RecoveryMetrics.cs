// Constitutional Hash: cdd01ef066bc6cf2

using Prometheus;

namespace Acgs.ControlPlane.Recovery;

/// <summary>Prometheus metrics of the recovery orchestrator, on the control plane's registry.</summary>
internal sealed class RecoveryMetrics
{
    /// <summary>Creates the metrics on <paramref name="registry"/>.</summary>
    public RecoveryMetrics(CollectorRegistry registry)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        Tasks = factory.CreateGauge("acgs_controlplane_recovery_tasks", "Active recovery tasks by state (pending, awaiting_operator).", "state");
        Finished = factory.CreateCounter("acgs_controlplane_recovery_tasks_finished_total", "Recovery tasks finished, by final state (succeeded, failed, cancelled).", "state");
        Attempts = factory.CreateCounter("acgs_controlplane_recovery_attempts_total", "Recovery attempts by result (success, failure).", "result");
        Resets = factory.CreateCounter("acgs_controlplane_recovery_breaker_resets_total", "Breaker resets pushed to sidecars (one per sidecar reached).");
        Tasks.WithLabels("pending").Set(0);
        Tasks.WithLabels("awaiting_operator").Set(0);
        foreach (var state in new[] { "succeeded", "failed", "cancelled" })
        {
            Finished.WithLabels(state);
        }

        Attempts.WithLabels("success");
        Attempts.WithLabels("failure");
    }

    /// <summary><c>acgs_controlplane_recovery_tasks{state}</c>.</summary>
    public Gauge Tasks { get; }

    /// <summary><c>acgs_controlplane_recovery_tasks_finished_total{state}</c>.</summary>
    public Counter Finished { get; }

    /// <summary><c>acgs_controlplane_recovery_attempts_total{result}</c>.</summary>
    public Counter Attempts { get; }

    /// <summary><c>acgs_controlplane_recovery_breaker_resets_total</c>.</summary>
    public Counter Resets { get; }
}
