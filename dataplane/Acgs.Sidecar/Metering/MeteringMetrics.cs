// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Telemetry;
using Prometheus;

namespace Acgs.Sidecar.Metering;

/// <summary>The shipper's metrics: windows sent, buffered and dropped.</summary>
internal sealed class MeteringMetrics
{
    public MeteringMetrics(SidecarMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        Dropped = metrics.Factory.CreateCounter(
            "acgs_metering_dropped_total",
            "Closed metering windows dropped, oldest first, because the buffer was full while the control plane was unreachable.");
        Shipped = metrics.Factory.CreateCounter(
            "acgs_metering_windows_shipped_total",
            "Metering windows the control plane accepted.");
        Buffered = metrics.Factory.CreateGauge(
            "acgs_metering_buffered_windows",
            "Closed metering windows waiting to be sent to the control plane.");
    }

    /// <summary><c>acgs_metering_dropped_total</c>.</summary>
    public Counter Dropped { get; }

    /// <summary><c>acgs_metering_windows_shipped_total</c>.</summary>
    public Counter Shipped { get; }

    /// <summary><c>acgs_metering_buffered_windows</c>.</summary>
    public Gauge Buffered { get; }
}
