// Constitutional Hash: cdd01ef066bc6cf2

using Prometheus;

namespace Acgs.Sidecar.Faults;

/// <summary><c>acgs_faults_injected_total{kind}</c> (kind <c>delay</c> or <c>abort</c>), children resolved once.</summary>
internal static class FaultMetrics
{
    /// <summary>The counter.</summary>
    public static Counter Injected { get; } = Metrics.CreateCounter(
        "acgs_faults_injected_total",
        "Faults injected by the sidecar's fault-injection rules (snapshot fault_rules), by kind (delay, abort).",
        new CounterConfiguration { LabelNames = ["kind"] });

    /// <summary>Injected delays.</summary>
    public static Counter.Child Delays { get; } = Injected.WithLabels("delay");

    /// <summary>Injected aborts.</summary>
    public static Counter.Child Aborts { get; } = Injected.WithLabels("abort");
}
