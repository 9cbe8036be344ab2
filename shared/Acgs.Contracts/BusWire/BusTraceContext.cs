// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.BusWire;

/// <summary>W3C trace context carried by a message (<see cref="BusFrameFlagBits.TraceContext"/>).</summary>
/// <param name="TraceParent">The traceparent, W3C version 00 (55 characters); null or empty = none.</param>
/// <param name="TraceState">The tracestate (at most 255 printable ASCII characters; may be empty).</param>
public readonly record struct BusTraceContext(string? TraceParent, string? TraceState)
{
    /// <summary>Whether there is no trace context.</summary>
    public bool IsEmpty => string.IsNullOrEmpty(TraceParent);
}
