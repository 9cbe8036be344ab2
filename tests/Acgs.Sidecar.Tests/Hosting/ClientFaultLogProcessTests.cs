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

    [Fact]
    public async Task KestrelRefusals_BadRequestLineAndHugeHeaders_CountedAndLoggedOncePerCause()
    {
        const int bad = 20;
        await using var app = await TestUpstream.StartAsync("app");
        await using var sidecar = await SidecarProcess.StartAsync(app.Port);
        var huge = "GET /x HTTP/1.1\r\nHost: app\r\nX-Big: " + new string('a', 40 * 1024) + "\r\n\r\n";

        for (var i = 0; i < bad; i++)
        {
            Assert.StartsWith("HTTP/1.1 400", await ExchangeAsync(sidecar.Inbound.Port, "GARBAGE\r\n\r\n"), StringComparison.Ordinal);
            Assert.StartsWith("HTTP/1.1 431", await ExchangeAsync(sidecar.Inbound.Port, huge), StringComparison.Ordinal);
        }

        await Acgs.Testing.Eventually.TrueAsync(async () => await sidecar.MetricAsync("acgs_client_faults_total{cause=\"kestrel_bad_request\"}") >= bad
            && await sidecar.MetricAsync("acgs_client_faults_total{cause=\"kestrel_headers_too_large\"}") >= bad, "every refusal counted");
        var output = sidecar.Output();
        Assert.Equal(1, Count(output, "client fault 'kestrel_bad_request'"));
        Assert.Equal(1, Count(output, "client fault 'kestrel_headers_too_large'"));
        Assert.Equal(0, Count(output, "   at "));
    }

    private static async Task<string> ExchangeAsync(int port, string request)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        await socket.SendAsync(Encoding.ASCII.GetBytes(request));
        var buffer = new byte[512];
        var read = await socket.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(10));
        return Encoding.ASCII.GetString(buffer, 0, read);
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
