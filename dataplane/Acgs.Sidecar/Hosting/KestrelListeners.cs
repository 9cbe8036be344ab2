// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Config;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Acgs.Sidecar.Hosting;

/// <summary>
/// Binds the three listeners. All are cleartext with <see cref="HttpProtocols.Http1AndHttp2"/>:
/// HTTP/1.1 (and WebSocket upgrades) as usual, HTTP/2 by prior knowledge (h2c), which Kestrel
/// detects from the connection preface on cleartext endpoints.
/// </summary>
internal static class KestrelListeners
{
    /// <summary>Configures Kestrel's endpoints and remembers them in <paramref name="ports"/>.</summary>
    public static void Configure(KestrelServerOptions kestrel, SidecarOptions options, ListenerPorts ports)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(ports);
        kestrel.AddServerHeader = false;
        Listen(kestrel, ports, ListenerKind.Inbound, options.InboundAddress, options.InboundPort);
        Listen(kestrel, ports, ListenerKind.Outbound, options.OutboundAddress, options.OutboundPort);
        Listen(kestrel, ports, ListenerKind.Admin, options.AdminAddress, options.AdminPort);
    }

    private static void Listen(KestrelServerOptions kestrel, ListenerPorts ports, ListenerKind kind, string address, int port)
    {
        if (!SidecarOptions.TryParseAddress(address, out var ip))
        {
            throw new ArgumentException($"invalid {kind} listener address '{address}'", nameof(address));
        }

        kestrel.Listen(ip, port, listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            ports.Register(kind, listen);
        });
    }
}
