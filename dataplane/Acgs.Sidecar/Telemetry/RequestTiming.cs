// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Resilience;

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

    /// <summary>The resilience handler's state of this request's upstream attempt (tracked path).</summary>
    public UpstreamCall Call { get; } = new();

    /// <summary>Clears the timestamps for reuse; an upstream attempt still pending is recorded as abandoned.</summary>
    public void Clear()
    {
        Call.Abandon();
        UpstreamStart = 0;
        UpstreamEnd = 0;
    }
}
