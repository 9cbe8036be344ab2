// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Yarp.ReverseProxy.Configuration;

namespace Acgs.Sidecar.Hosting;

/// <summary>
/// What the listener shortcuts (<c>Inbound/InboundEndpoint</c>, <c>Outbound/OutboundEndpoints</c>) need to know of a
/// route before they skip endpoint routing for it: that it answers every path and puts no condition on the request.
/// </summary>
internal static class RouteShapes
{
    /// <summary>True when <paramref name="match"/> and <paramref name="endpoint"/> restrict no method, header or query parameter.</summary>
    public static bool HasNoRequestConditions(RouteEndpoint endpoint, RouteMatch match)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(match);
        return match.Methods is not { Count: > 0 }
            && match.Headers is not { Count: > 0 }
            && match.QueryParameters is not { Count: > 0 }
            && endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is not { HttpMethods.Count: > 0 };
    }

    /// <summary>True when <paramref name="pattern"/> is a bare <c>{**catch-all}</c>: every path, no constraint.</summary>
    public static bool IsBareCatchAll(RoutePattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return pattern.PathSegments.Count == 1
            && pattern.Parameters.Count == 1
            && pattern.Parameters[0].IsCatchAll
            && pattern.Parameters[0].ParameterPolicies.Count == 0
            && pattern.PathSegments[0].Parts.Count == 1;
    }
}
