// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.HashEnforcement;
using Acgs.Sidecar.Transparent;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.Outbound;

/// <summary>
/// The outbound listener routes by Host/authority (snapshot <c>routes</c>, one YARP route each with
/// <c>Match.Hosts</c>); a request for a host with no route gets 404 <c>urn:acgs:no-route</c> —
/// unless its connection was redirected by iptables (<see cref="OriginalDestinationFeature"/>): then
/// it goes to the connection's original destination (<see cref="PassthroughForwarder"/>), or, with
/// <c>ACGS_OUTBOUND_PASSTHROUGH=0</c>, gets the 404 naming that destination.
/// </summary>
internal static class OutboundRoutes
{
    /// <summary>The YARP route id of outbound route <paramref name="index"/>.</summary>
    public static string RouteIdFor(int index, string host) => "outbound:" + index.ToString(CultureInfo.InvariantCulture) + ":" + host;

    /// <summary>The fallback handler of the outbound listener: passthrough for redirected connections, else 404 problem+json.</summary>
    public static Task NoRouteAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var original = context.Features.Get<OriginalDestinationFeature>();
        if (original is { Listener: ListenerKind.Outbound, Passthrough: { } passthrough })
        {
            return passthrough.ForwardAsync(context, original);
        }

        var host = context.Request.Host.Value ?? string.Empty;
        if (host.Length > 128)
        {
            host = host[..128];
        }

        if (original is { Listener: ListenerKind.Outbound })
        {
            return PassthroughForwarder.RefuseAsync(context, original, host);
        }

        return ProblemResponse.WriteAsync(
            context,
            StatusCodes.Status404NotFound,
            ProblemResponse.NoRouteType,
            "No route",
            "The outbound listener has no route for this host.",
            ("host", host));
    }
}
