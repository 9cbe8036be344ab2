// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Acgs.Testing;

/// <summary>Free TCP ports on the loopback interface.</summary>
public static class FreePort
{
    private static readonly ConcurrentDictionary<int, byte> HandedOut = new();

    /// <summary>
    /// A port that was free on 127.0.0.1 a moment ago (the OS picks it by binding port 0) and that this
    /// process has not handed out before: the kernel may offer a port again as soon as the probing socket
    /// closes, before the first caller has bound it, so two parallel callers could otherwise get the same
    /// one. Another process may still take it before the caller binds it; callers that can, should bind
    /// port 0 themselves.
    /// </summary>
    public static int Get()
    {
        while (true)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
            if (HandedOut.TryAdd(port, 0))
            {
                return port;
            }
        }
    }
}
