// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Config;
using Acgs.Sidecar.Identity;
using Acgs.Sidecar.Transparent;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Acgs.Sidecar.Hosting;

/// <summary>
/// Binds the three listeners. All are cleartext with <see cref="HttpProtocols.Http1AndHttp2"/>:
/// HTTP/1.1 (and WebSocket upgrades) as usual, and HTTP/2 by prior knowledge (h2c), detected from
/// the connection preface by <see cref="H2cDetectionMiddleware"/> (Kestrel alone would serve only
/// HTTP/1.1 on a cleartext Http1AndHttp2 endpoint).
/// </summary>
internal static class KestrelListeners
{
    /// <summary>
    /// Configures Kestrel's endpoints and remembers them in <paramref name="ports"/>; <paramref name="transparentOptions"/>
    /// (read at start with the other settings) default to the defaults.
    /// </summary>
    /// <remarks>
    /// Every listener is bounded (<paramref name="limits"/>, docs/limits.md): a connection limit of its own (the first
    /// connection middleware, <see cref="ConnectionGuard"/>), the first bytes of a connection (each sniffing step: the
    /// transparent proxy's, the inbound TLS sniff and handshake, the h2c detection) and every request's headers within
    /// <see cref="ListenerLimits.RequestHeadersTimeout"/>, idle connections closed after
    /// <see cref="ListenerLimits.IdleTimeout"/>, request bodies up to <see cref="ListenerLimits.MaxRequestBodyBytes"/>.
    /// </remarks>
    public static void Configure(KestrelServerOptions kestrel, SidecarOptions options, ListenerPorts ports, TransparentOptions? transparentOptions = null, ListenerLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(ports);
        limits ??= new ListenerLimits();
        kestrel.AddServerHeader = false;
        kestrel.AllowAlternateSchemes = true; // h2c requests carry :scheme http on a connection marked "h2"
        kestrel.Limits.KeepAliveTimeout = limits.IdleTimeout;
        kestrel.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
        kestrel.Limits.MaxRequestBodySize = limits.MaxRequestBodyBytes;
        var transparent = new TransparentProxy(transparentOptions ?? new TransparentOptions(), () => kestrel.ApplicationServices);
        Listen(kestrel, ports, limits, ListenerKind.Inbound, options.InboundAddress, options.InboundPort, transparent);
        Listen(kestrel, ports, limits, ListenerKind.Outbound, options.OutboundAddress, options.OutboundPort, transparent);
        Listen(kestrel, ports, limits, ListenerKind.Admin, options.AdminAddress, options.AdminPort, null);
    }

    private static void Listen(KestrelServerOptions kestrel, ListenerPorts ports, ListenerLimits limits, ListenerKind kind, string address, int port, TransparentProxy? transparent)
    {
        if (!SidecarOptions.TryParseAddress(address, out var ip))
        {
            throw new ArgumentException($"invalid {kind} listener address '{address}'", nameof(address));
        }

        kestrel.Listen(ip, port, listen =>
        {
            // Protocols stays the default Http1AndHttp2 (not set explicitly: Kestrel would log that HTTP/2
            // needs TLS); H2cDetectionMiddleware turns on HTTP/2 for connections that start with its preface.
            listen.Use(new ConnectionGuard(kind, limits.MaxConnections(kind), () => kestrel.ApplicationServices).Middleware);
            if (transparent is not null)
            {
                listen.Use(transparent.Middleware(kind, limits.RequestHeadersTimeout)); // SO_ORIGINAL_DST once per connection (docs/transparent-proxy.md)
            }

            if (kind == ListenerKind.Inbound)
            {
                new InboundTls(() => kestrel.ApplicationServices, limits.RequestHeadersTimeout).Configure(listen); // mTLS beside plaintext (docs/identity.md)
            }

            listen.Use(H2cDetectionMiddleware.Create(limits.RequestHeadersTimeout));
            ports.Register(kind, listen);
        });
    }
}
