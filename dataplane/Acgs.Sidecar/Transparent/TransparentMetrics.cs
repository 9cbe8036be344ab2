// Constitutional Hash: cdd01ef066bc6cf2

using Prometheus;

namespace Acgs.Sidecar.Transparent;

/// <summary>Metrics of the transparent proxy (per connection, never per request).</summary>
internal static class TransparentMetrics
{
    /// <summary>Redirected outbound connections whose first bytes were not HTTP, by what happened to them.</summary>
    public static Counter OpaqueConnections { get; } = Metrics.CreateCounter(
        "acgs_outbound_opaque_connections_total",
        "Redirected outbound connections that did not speak HTTP: tunnelled to the original destination (ACGS_OUTBOUND_TCP_PASSTHROUGH=1), refused (closed), or failed (upstream connect error).",
        new CounterConfiguration { LabelNames = ["result"] });

    /// <summary>Child for tunnelled connections.</summary>
    public static Counter.Child Tunnelled { get; } = OpaqueConnections.WithLabels("tunnelled");

    /// <summary>Child for refused connections.</summary>
    public static Counter.Child Refused { get; } = OpaqueConnections.WithLabels("refused");

    /// <summary>Child for connections whose upstream could not be reached.</summary>
    public static Counter.Child Failed { get; } = OpaqueConnections.WithLabels("failed");
}
