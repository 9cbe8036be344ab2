// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.BusWire;
using Acgs.Sidecar.Tracing;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.Bus;

/// <summary>
/// The trace context of a <c>POST /v1/messages</c>: the request's <c>traceparent</c> and <c>tracestate</c> headers become
/// the message's, as a framed <c>send</c> carries them. Read as W3C trace context asks of HTTP: a missing or malformed
/// <c>traceparent</c> (or a version other than <c>00</c>, which the frame cannot carry) is ignored and the message goes
/// without trace context; a <c>tracestate</c> the frame cannot carry (over 255 bytes, not printable ASCII) is left out.
/// </summary>
internal static class BusHttpTraceContext
{
    /// <summary>The trace context of <paramref name="headers"/>; empty when there is none to carry.</summary>
    public static BusTraceContext Read(IHeaderDictionary headers)
    {
        var values = headers.TraceParent;
        if (values.Count != 1 || values[0] is not { Length: TraceParent.Length } traceParent
            || !traceParent.StartsWith("00-", StringComparison.Ordinal) || !TraceParent.TryRead(traceParent, out _, out _))
        {
            return default;
        }

        var traceState = headers.TraceState.ToString();
        return new BusTraceContext(traceParent, Carriable(traceState) ? traceState : string.Empty);
    }

    private static bool Carriable(string traceState)
    {
        if (traceState.Length > BusWireConstants.MaxTraceStateBytes)
        {
            return false;
        }

        foreach (var c in traceState)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }
}
