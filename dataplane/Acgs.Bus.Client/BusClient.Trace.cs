// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Acgs.Contracts.BusWire;

namespace Acgs.Bus.Client;

/// <summary>W3C trace context of the messages this client sends.</summary>
public sealed partial class BusClient
{
    /// <summary>Whether the sidecar accepted trace context at registration (messages then carry <c>Activity.Current</c>'s).</summary>
    public bool TraceContextAccepted => _traceAccepted;

    /// <summary>
    /// <c>Activity.Current</c>'s trace context (W3C ids only), empty when there is none or the sidecar did not accept
    /// trace context. A tracestate the protocol cannot carry (over 255 bytes, not printable ASCII) is left out.
    /// </summary>
    private BusTraceContext CurrentTraceContext()
    {
        if (!_traceAccepted || Activity.Current is not { IdFormat: ActivityIdFormat.W3C } activity)
        {
            return default;
        }

        var state = activity.TraceStateString;
        return new BusTraceContext(activity.Id, state is null || IsCarriable(state) ? state : null);
    }

    private static bool IsCarriable(string state)
    {
        if (state.Length > BusWireConstants.MaxTraceStateBytes)
        {
            return false;
        }

        foreach (var c in state)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }
}
