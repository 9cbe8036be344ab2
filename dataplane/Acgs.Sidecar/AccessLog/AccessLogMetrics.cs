// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Telemetry;
using Prometheus;

namespace Acgs.Sidecar.AccessLog;

/// <summary>The access log's counters: lines written and lines dropped because the writer fell behind.</summary>
internal sealed class AccessLogMetrics
{
    /// <summary>Creates the counters in the sidecar's registry.</summary>
    public AccessLogMetrics(SidecarMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        Written = metrics.Factory.CreateCounter("acgs_access_log_lines_total", "Access log lines written.");
        Dropped = metrics.Factory.CreateCounter(
            "acgs_access_log_dropped_total",
            "Access log lines dropped because the queue to the writer was full (the requests themselves were served).");
        Failures = metrics.Factory.CreateCounter("acgs_access_log_write_failures_total", "Failed writes of the access log (the lines of that write are lost).");
    }

    public Counter Written { get; }

    public Counter Dropped { get; }

    public Counter Failures { get; }
}
