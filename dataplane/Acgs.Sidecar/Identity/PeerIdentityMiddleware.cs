// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Acgs.Sidecar.Identity;

/// <summary>
/// Hands the caller's verified identity to the app in one header, <c>x-acgs-peer-identity</c>: the SPIFFE ID of an mTLS
/// peer, or <c>unauthenticated</c> for a plaintext caller. Any copy the caller sent is replaced, so the app can trust it.
/// Inbound requests only; no allocation (the value is built once per connection).
/// </summary>
internal sealed class PeerIdentityMiddleware
{
    /// <summary>The header name.</summary>
    public const string HeaderName = "x-acgs-peer-identity";

    /// <summary>The value for plaintext callers.</summary>
    public const string Unauthenticated = "unauthenticated";

    private static readonly StringValues UnauthenticatedValue = new(Unauthenticated);
    private readonly RequestDelegate _next;
    private readonly ListenerPorts _ports;

    public PeerIdentityMiddleware(RequestDelegate next, ListenerPorts ports)
    {
        _next = next;
        _ports = ports;
    }

    public Task InvokeAsync(HttpContext context)
    {
        var listener = _ports.Classify(context.Connection.LocalPort);
        if (listener == ListenerKind.Inbound)
        {
            context.Request.Headers[HeaderName] = context.Features.Get<PeerIdentityFeature>() is { } peer ? peer.HeaderValue : UnauthenticatedValue;
        }
        else if (listener == ListenerKind.Outbound && context.Request.Headers.ContainsKey(HeaderName))
        {
            context.Request.Headers.Remove(HeaderName); // never forwarded: the next hop's sidecar sets its own
        }

        return _next(context);
    }
}
