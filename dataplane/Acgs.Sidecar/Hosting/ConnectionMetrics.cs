// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Telemetry;
using Prometheus;

namespace Acgs.Sidecar.Hosting;

/// <summary>Per-connection metrics of the HTTP listeners (never per request), in the host's registry; children resolved once.</summary>
internal sealed class ConnectionMetrics
{
    private readonly Gauge.Child[] _active;
    private readonly Counter.Child[] _rejected;
    private readonly Counter _faults;

    /// <summary>Creates the collectors in <paramref name="metrics"/>' registry.</summary>
    public ConnectionMetrics(SidecarMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var active = metrics.Factory.CreateGauge(
            "acgs_connections_active",
            "Open connections on each HTTP listener (inbound, outbound, admin).",
            new GaugeConfiguration { LabelNames = ["listener"] });
        var rejected = metrics.Factory.CreateCounter(
            "acgs_connections_rejected_total",
            "Connections closed at once because their listener was at its connection limit (docs/limits.md).",
            new CounterConfiguration { LabelNames = ["listener"] });
        _faults = metrics.Factory.CreateCounter(
            "acgs_client_faults_total",
            "Client faults and resource errors the sidecar survived, by cause (bad requests, resets, body limit, descriptor exhaustion); logged at most once per cause per interval.",
            new CounterConfiguration { LabelNames = ["cause"] });
        _active = [active.WithLabels("inbound"), active.WithLabels("outbound"), active.WithLabels("admin")];
        _rejected = [rejected.WithLabels("inbound"), rejected.WithLabels("outbound"), rejected.WithLabels("admin")];
    }

    /// <summary>The open-connections gauge of <paramref name="kind"/>.</summary>
    public Gauge.Child Active(ListenerKind kind) => _active[Index(kind)];

    /// <summary>The rejected-connections counter of <paramref name="kind"/>.</summary>
    public Counter.Child Rejected(ListenerKind kind) => _rejected[Index(kind)];

    /// <summary>The client-fault counter of <paramref name="cause"/> (resolve once per cause).</summary>
    public Counter.Child Fault(string cause) => _faults.WithLabels(cause);

    private static int Index(ListenerKind kind) => kind switch
    {
        ListenerKind.Inbound => 0,
        ListenerKind.Outbound => 1,
        _ => 2,
    };
}
