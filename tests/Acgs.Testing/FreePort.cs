// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Sockets;

namespace Acgs.Testing;

/// <summary>Free TCP ports on the loopback interface.</summary>
public static class FreePort
{
    /// <summary>
    /// A port that was free on 127.0.0.1 a moment ago (the OS picks it by binding port 0). Another process
    /// may take it before the caller binds it; callers that can, should bind port 0 themselves.
    /// </summary>
    public static int Get()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
