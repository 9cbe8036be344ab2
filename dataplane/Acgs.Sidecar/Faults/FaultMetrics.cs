// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Telemetry;
using Prometheus;

namespace Acgs.Sidecar.Faults;

/// <summary><c>acgs_faults_injected_total{kind}</c> (kind <c>delay</c>, <c>abort</c> or <c>force_open</c>) in the host's registry, children resolved once.</summary>
internal sealed class FaultMetrics
{
    /// <summary>Creates the counter in <paramref name="metrics"/>' registry and its children.</summary>
    public FaultMetrics(SidecarMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        Injected = metrics.Factory.CreateCounter(
            "acgs_faults_injected_total",
            "Faults injected by the sidecar's fault-injection rules (snapshot fault_rules), by kind (delay, abort, force_open: a breaker held open by a rule).",
            new CounterConfiguration { LabelNames = ["kind"] });
        Delays = Injected.WithLabels("delay");
        Aborts = Injected.WithLabels("abort");
        ForcedOpen = Injected.WithLabels("force_open");
    }

    /// <summary>The counter.</summary>
    public Counter Injected { get; }

    /// <summary>Injected delays.</summary>
    public Counter.Child Delays { get; }

    /// <summary>Injected aborts.</summary>
    public Counter.Child Aborts { get; }

    /// <summary>Breakers held open by a <c>force_open_breaker</c> rule (one per hold, not per refused request).</summary>
    public Counter.Child ForcedOpen { get; }
}
