// Constitutional Hash: cdd01ef066bc6cf2

using Prometheus;

namespace Acgs.ControlPlane.Leadership;

/// <summary>The leadership's metrics: whether this replica leads, how often that changed, and leader-only calls forwarded.</summary>
internal sealed class LeaderMetrics
{
    private readonly Gauge _leader;
    private readonly Counter _changes;
    private readonly Counter _forwards;
    private readonly Counter _untrusted;

    public LeaderMetrics(CollectorRegistry registry)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        _leader = factory.CreateGauge("acgs_controlplane_leader", "1 while this replica leads (runs rollouts and recovery), else 0.");
        _changes = factory.CreateCounter("acgs_controlplane_leader_changes_total", "Times this replica gained or lost the lead.", "change");
        _forwards = factory.CreateCounter("acgs_controlplane_leader_forwards_total", "Leader-only calls this replica forwarded to the leader, by result (forwarded, no_leader, unreachable, loop).", "result");
        _untrusted = factory.CreateCounter(
            "acgs_controlplane_leader_lease_untrusted_total",
            "Reads of a leader lease that did not carry a valid signature of this control plane's admin token (not followed).");
    }

    /// <summary>Records a gain (true) or loss (false) of the lead.</summary>
    public void Set(bool leads)
    {
        _leader.Set(leads ? 1 : 0);
        _changes.WithLabels(leads ? "gained" : "lost").Inc();
    }

    /// <summary>Counts one leader-only call handled by forwarding, by <paramref name="result"/>.</summary>
    public void Forwarded(string result) => _forwards.WithLabels(result).Inc();

    /// <summary>Counts one read of a lease that is not signed with the admin token.</summary>
    public void Untrusted() => _untrusted.Inc();
}
