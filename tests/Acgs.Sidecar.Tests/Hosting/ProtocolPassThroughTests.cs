// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.WebSockets;
using System.Text;
using Acgs.Core;
using Acgs.Sidecar.Tests.Fixtures;

namespace Acgs.Sidecar.Tests.Hosting;

public sealed class ProtocolPassThroughTests
{
    [Fact]
    public async Task WebSocket_EchoThroughInbound()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var sidecar = await SidecarTestHost.StartAsync(app.Port);
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader(AcgsConstants.HashHeaderName, AcgsConstants.ConstitutionalHash);

        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{sidecar.Host.InboundPort}/ws"), CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes("ping"), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[256];
        var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);

        Assert.Equal("echo:ping", Encoding.UTF8.GetString(buffer, 0, result.Count));
    }

    [Fact]
    public async Task WebSocket_WithoutHash_IsRejected()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var sidecar = await SidecarTestHost.StartAsync(app.Port);
        using var socket = new ClientWebSocket();

        await Assert.ThrowsAsync<WebSocketException>(() =>
            socket.ConnectAsync(new Uri($"ws://127.0.0.1:{sidecar.Host.InboundPort}/ws"), CancellationToken.None));
        Assert.Equal(0, app.Requests);
    }

    [Fact]
    public async Task H2c_PriorKnowledge_ThroughInbound()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var sidecar = await SidecarTestHost.StartAsync(app.Port);
        using var request = SidecarTestHost.Request(HttpMethod.Get, sidecar.Inbound, "/h2");
        request.Version = HttpVersion.Version20;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;

        using var response = await sidecar.Client.SendAsync(request);

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("app:/h2:", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http11_StillWorksOnTheSameListener()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var sidecar = await SidecarTestHost.StartAsync(app.Port);
        using var request = SidecarTestHost.Request(HttpMethod.Get, sidecar.Inbound, "/h1");
        request.Version = HttpVersion.Version11;

        using var response = await sidecar.Client.SendAsync(request);

        Assert.Equal(HttpVersion.Version11, response.Version);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
