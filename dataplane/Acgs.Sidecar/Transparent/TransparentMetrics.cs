// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Telemetry;
using Prometheus;

namespace Acgs.Sidecar.Transparent;

/// <summary>Metrics of the transparent proxy (per connection, never per request), in the host's registry; children resolved once.</summary>
internal sealed class TransparentMetrics
{
    /// <summary>Creates the counter in <paramref name="metrics"/>' registry and its children.</summary>
    public TransparentMetrics(SidecarMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        OpaqueConnections = metrics.Factory.CreateCounter(
            "acgs_outbound_opaque_connections_total",
            "Redirected outbound connections that did not speak HTTP: tunnelled to the original destination (ACGS_OUTBOUND_TCP_PASSTHROUGH=1), refused (closed), or failed (upstream connect error).",
            new CounterConfiguration { LabelNames = ["result"] });
        Tunnelled = OpaqueConnections.WithLabels("tunnelled");
        Refused = OpaqueConnections.WithLabels("refused");
        Failed = OpaqueConnections.WithLabels("failed");
    }

    /// <summary>Redirected outbound connections whose first bytes were not HTTP, by what happened to them.</summary>
    public Counter OpaqueConnections { get; }

    /// <summary>Child for tunnelled connections.</summary>
    public Counter.Child Tunnelled { get; }

    /// <summary>Child for refused connections.</summary>
    public Counter.Child Refused { get; }

    /// <summary>Child for connections whose upstream could not be reached.</summary>
    public Counter.Child Failed { get; }
}
