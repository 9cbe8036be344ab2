// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Acgs.Sidecar.Hosting;

/// <summary>
/// The sidecar's three Kestrel listeners and the ports they are bound to. A request's listener is
/// found by comparing <c>HttpContext.Connection.LocalPort</c> with these ports: one integer compare,
/// no allocation. The local port (not the Host header) is what identifies a listener: Host keeps
/// the client's authority, and with iptables REDIRECT the local port is the listener's own port.
/// Ports configured as 0 are read back from Kestrel's <see cref="ListenOptions"/> after binding.
/// </summary>
internal sealed class ListenerPorts
{
    private ListenOptions? _inbound;
    private ListenOptions? _outbound;
    private ListenOptions? _admin;
    private int _inboundPort;
    private int _outboundPort;
    private int _adminPort;

    /// <summary>The bound inbound port (0 before binding).</summary>
    public int Inbound => Resolve(ref _inboundPort, _inbound);

    /// <summary>The bound outbound port (0 before binding).</summary>
    public int Outbound => Resolve(ref _outboundPort, _outbound);

    /// <summary>The bound admin port (0 before binding).</summary>
    public int Admin => Resolve(ref _adminPort, _admin);

    /// <summary>Remembers the listen options of <paramref name="kind"/> (called while Kestrel is configured).</summary>
    public void Register(ListenerKind kind, ListenOptions options)
    {
        switch (kind)
        {
            case ListenerKind.Inbound:
                _inbound = options;
                break;
            case ListenerKind.Outbound:
                _outbound = options;
                break;
            case ListenerKind.Admin:
                _admin = options;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    /// <summary>The listener bound to <paramref name="localPort"/>.</summary>
    public ListenerKind Classify(int localPort)
    {
        if (localPort == Inbound)
        {
            return ListenerKind.Inbound;
        }

        if (localPort == Outbound)
        {
            return ListenerKind.Outbound;
        }

        return localPort == Admin ? ListenerKind.Admin : ListenerKind.Unknown;
    }

    private static int Resolve(ref int cached, ListenOptions? options)
    {
        var port = Volatile.Read(ref cached);
        if (port != 0 || options?.EndPoint is not IPEndPoint endPoint)
        {
            return port;
        }

        port = endPoint.Port;
        Volatile.Write(ref cached, port);
        return port;
    }
}
