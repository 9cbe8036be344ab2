// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.HealthAggregation;

namespace Acgs.ControlPlane.Recovery;

internal sealed partial class RecoveryOrchestrator
{
    /// <summary>Trigger name of tasks a replica queued when it took the lead.</summary>
    public const string TakeOverTrigger = "leader-change";

    /// <summary>
    /// This replica took the lead (control-plane replicas on Redis): queues a task for every service already unhealthy
    /// enough to trigger one, as if its change had just happened, so a leader dying mid-recovery does not leave the service
    /// without one. Returns how many tasks were queued.
    /// </summary>
    public int TakeOver(IReadOnlyList<HealthStatusChange> current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var queued = 0;
        foreach (var change in current)
        {
            if (_options.Enabled && change.Service is { } service
                && (change.Current == Contracts.Health.HealthStatus.Critical
                    || (change.Current == Contracts.Health.HealthStatus.Degraded && _options.Trigger == RecoveryTrigger.Degraded))
                && Enqueue(service, TakeOverTrigger).Created)
            {
                queued++;
            }
        }

        return queued;
    }

    /// <summary>
    /// This replica lost the lead: every active task that is not mid-attempt ends as cancelled ("leadership moved"), since
    /// the new leader queues its own; a task mid-attempt finishes that attempt first. Returns how many were cancelled.
    /// </summary>
    public int HandOver()
    {
        var cancelled = 0;
        lock (_lock)
        {
            foreach (var task in new List<RecoveryTask>(_active.Values))
            {
                if (task.Attempting)
                {
                    continue;
                }

                _queue.Remove(task);
                task.LastResult = "leadership moved to another control-plane replica";
                FinishLocked(task, RecoveryTaskState.Cancelled);
                cancelled++;
            }
        }

        return cancelled;
    }
}
