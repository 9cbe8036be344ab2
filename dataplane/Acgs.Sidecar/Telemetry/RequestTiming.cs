// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Telemetry;

/// <summary>
/// Per-request timestamps of the upstream exchange, set as an HttpContext feature by
/// <see cref="RequestTelemetryMiddleware"/> and filled by <see cref="ProxyTimingTransforms"/>.
/// Instances are pooled: the steady state allocates nothing.
/// </summary>
internal sealed class RequestTiming
{
    /// <summary>Stopwatch timestamp when the request was handed to the upstream client (0 = never).</summary>
    public long UpstreamStart { get; set; }

    /// <summary>Stopwatch timestamp when the upstream's response headers arrived (0 = never).</summary>
    public long UpstreamEnd { get; set; }

    /// <summary>Clears the timestamps for reuse.</summary>
    public void Clear()
    {
        UpstreamStart = 0;
        UpstreamEnd = 0;
    }
}
