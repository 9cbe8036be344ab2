// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.Resilience;
using Microsoft.AspNetCore.Http;

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

    /// <summary>The middleware that records this request when its response completes.</summary>
    internal RequestTelemetryMiddleware? Owner { get; private set; }

    /// <summary>The request (held until its response completes).</summary>
    internal HttpContext? Context { get; private set; }

    /// <summary>The listener the request came in on.</summary>
    internal ListenerKind Listener { get; private set; }

    /// <summary>Stopwatch timestamp when the request entered the sidecar's pipeline.</summary>
    internal long Start { get; private set; }

    /// <summary>The request's sampled server span (tracing on), whose ids become the latency histograms' exemplar; null otherwise.</summary>
    internal Activity? Span { get; set; }

    /// <summary>Starts timing <paramref name="context"/>.</summary>
    internal void Begin(RequestTelemetryMiddleware owner, HttpContext context, ListenerKind listener, long start)
    {
        Owner = owner;
        Context = context;
        Listener = listener;
        Start = start;
    }

    /// <summary>Clears the timestamps for reuse; an upstream attempt still pending is recorded as abandoned.</summary>
    public void Clear()
    {
        Call.Abandon();
        Owner = null;
        Context = null;
        Span = null;
        Start = 0;
        UpstreamStart = 0;
        UpstreamEnd = 0;
    }
}
