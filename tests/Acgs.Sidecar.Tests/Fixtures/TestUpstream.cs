// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Acgs.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.Tests.Fixtures;

/// <summary>
/// A real Kestrel upstream on 127.0.0.1:0 that records what it received. Paths: <c>/slow?ms=N</c>,
/// <c>/status/N</c>, <c>/ws</c> (WebSocket echo); anything else answers 200 "name:path".
/// </summary>
public sealed class TestUpstream : IAsyncDisposable
{
    private KestrelTestServer _server = null!;
    private int _requests;

    private TestUpstream(string name) => Name = name;

    public string Name { get; }

    public int Port => _server.Port;

    public int Requests => Volatile.Read(ref _requests);

    public string? LastHashHeader { get; private set; }

    public string? LastHost { get; private set; }

    /// <summary>The <c>x-acgs-peer-identity</c> values of the last request, comma-joined.</summary>
    public string? LastPeerIdentity { get; private set; }

    public TaskCompletionSource SlowRequestArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<TestUpstream> StartAsync(string name, int port = 0)
    {
        var upstream = new TestUpstream(name);
        upstream._server = await KestrelTestServer.StartAsync(
            app =>
            {
                app.UseWebSockets();
                app.Run(upstream.HandleAsync);
            },
            IPAddress.Loopback,
            port);
        return upstream;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        LastHashHeader = context.Request.Headers["X-Constitutional-Hash"].ToString();
        LastHost = context.Request.Host.Value;
        LastPeerIdentity = context.Request.Headers["x-acgs-peer-identity"].ToString();
        var path = context.Request.Path.Value ?? "/";
        if (path == "/ws" && context.WebSockets.IsWebSocketRequest)
        {
            await EchoAsync(context);
            return;
        }

        if (path == "/slow")
        {
            SlowRequestArrived.TrySetResult();
            var ms = int.Parse(context.Request.Query["ms"].ToString(), CultureInfo.InvariantCulture);
            await Task.Delay(ms); // the slow upstream under test, not a synchronisation
        }
        else if (path.StartsWith("/status/", StringComparison.Ordinal))
        {
            context.Response.StatusCode = int.Parse(path["/status/".Length..], CultureInfo.InvariantCulture);
        }

        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(Name + ":" + path + ":" + context.Request.Protocol);
    }

    private static async Task EchoAsync(HttpContext context)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                return;
            }

            var reply = Encoding.UTF8.GetBytes("echo:" + Encoding.UTF8.GetString(buffer, 0, result.Count));
            await socket.SendAsync(reply, WebSocketMessageType.Text, true, CancellationToken.None);
        }
    }
}
