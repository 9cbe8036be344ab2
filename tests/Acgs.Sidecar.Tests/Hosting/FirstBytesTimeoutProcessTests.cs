// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Acgs.Sidecar.Tests.Fixtures;

namespace Acgs.Sidecar.Tests.Hosting;

/// <summary>
/// A silent connection holds a slot at most the request-headers timeout: the inbound TLS sniff (which waits for the
/// first byte before Kestrel's own header timer starts) follows <c>ACGS_REQUEST_HEADERS_TIMEOUT_SECONDS</c>.
/// </summary>
public sealed class FirstBytesTimeoutProcessTests
{
    [Fact]
    public async Task SilentInboundConnection_HeadersTimeoutOneSecond_ClosedWithinSeconds()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var sidecar = await SidecarProcess.StartAsync(app.Port, new Dictionary<string, string>
        {
            ["ACGS_REQUEST_HEADERS_TIMEOUT_SECONDS"] = "1",
        });
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, sidecar.Inbound.Port);
        var clock = Stopwatch.StartNew();

        var closed = await ReceiveUntilClosedAsync(socket, TimeSpan.FromSeconds(20));

        Assert.True(closed, "the sidecar kept a silent connection open for 20 s");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"closed after {clock.Elapsed.TotalSeconds:0.0} s, the setting is 1 s");
    }

    private static async Task<bool> ReceiveUntilClosedAsync(Socket socket, TimeSpan limit)
    {
        var buffer = new byte[256];
        try
        {
            return await socket.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(limit) == 0;
        }
        catch (SocketException)
        {
            return true; // reset by the sidecar: closed as well
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
