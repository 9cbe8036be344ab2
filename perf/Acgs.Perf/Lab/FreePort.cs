// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Sockets;

namespace Acgs.Perf.Lab;

/// <summary>Free loopback TCP ports.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
