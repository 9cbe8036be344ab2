// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Sockets;
using System.Text;
using Acgs.Core;
using Acgs.Sidecar.Tests.Fixtures;

namespace Acgs.Sidecar.Tests.Hosting;

/// <summary>A flood of bad requests is counted, not logged: one line per cause per interval and no stack trace.</summary>
public sealed class ClientFaultLogProcessTests
{
    [Fact]
    public async Task BadChunkFlood_CountedAndLoggedOnce_NoStackTraces()
    {
        const int bad = 50;
        await using var app = await TestUpstream.StartAsync("app");
        await using var sidecar = await SidecarProcess.StartAsync(app.Port);

        for (var i = 0; i < bad; i++)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, sidecar.Inbound.Port);
            await socket.SendAsync(Encoding.ASCII.GetBytes(
                "POST /x HTTP/1.1\r\nHost: app\r\nX-Constitutional-Hash: " + AcgsConstants.ConstitutionalHash
                + "\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"));
            var buffer = new byte[512];
            _ = await socket.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(10));
        }

        const string counter = "acgs_client_faults_total{cause=\"forwarder_RequestBodyClient\"}";
        await Acgs.Testing.Eventually.TrueAsync(async () => await sidecar.MetricAsync(counter) >= bad, "every bad request counted");
        var output = sidecar.Output();
        Assert.Equal(1, Count(output, "client fault 'forwarder_RequestBodyClient'"));
        Assert.Equal(0, Count(output, "   at "));
        Assert.Equal(0, Count(output, "Bad chunk size data.\n"));
    }

    private static int Count(string text, string what)
    {
        var count = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
