// Constitutional Hash: cdd01ef066bc6cf2

using Prometheus;

namespace Acgs.Sidecar.Faults;

/// <summary><c>acgs_faults_injected_total{kind}</c> (kind <c>delay</c>, <c>abort</c> or <c>force_open</c>), children resolved once.</summary>
internal static class FaultMetrics
{
    /// <summary>The counter.</summary>
    public static Counter Injected { get; } = Metrics.CreateCounter(
        "acgs_faults_injected_total",
        "Faults injected by the sidecar's fault-injection rules (snapshot fault_rules), by kind (delay, abort, force_open: a breaker held open by a rule).",
        new CounterConfiguration { LabelNames = ["kind"] });

    /// <summary>Injected delays.</summary>
    public static Counter.Child Delays { get; } = Injected.WithLabels("delay");

    /// <summary>Injected aborts.</summary>
    public static Counter.Child Aborts { get; } = Injected.WithLabels("abort");

    /// <summary>Breakers held open by a <c>force_open_breaker</c> rule (one per hold, not per refused request).</summary>
    public static Counter.Child ForcedOpen { get; } = Injected.WithLabels("force_open");
}
