// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Acgs.Perf.Lab;

/// <summary>Free loopback TCP ports, each handed out once per process.</summary>
internal static class FreePort
{
    private static readonly ConcurrentDictionary<int, byte> HandedOut = new();

    /// <summary>
    /// A port free on 127.0.0.1 a moment ago that this run has not handed out before. The targets start
    /// in parallel, and the kernel may offer a probed port again before the target it went to has bound
    /// it (seen: nginx and the sidecar's bus HTTP port got the same port, and the sidecar failed to start).
    /// </summary>
    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (HandedOut.TryAdd(port, 0))
            {
                return port;
            }
        }
    }
}
