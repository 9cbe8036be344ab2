// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Acgs.Contracts.Config;
using Acgs.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.Tests.ControlPlaneClient;

/// <summary>A control plane speaking the watch/ACK protocol on real Kestrel (127.0.0.1, free port), scripted by the test.</summary>
public sealed class FakeControlPlane : IAsyncDisposable
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private KestrelTestServer _server = null!;

    public Uri Address => _server.BaseUri;

    public ConcurrentQueue<JsonObject> Acks { get; } = new();

    private int _connections;

    public int Connections => Volatile.Read(ref _connections);

    public static async Task<FakeControlPlane> StartAsync()
    {
        var self = new FakeControlPlane();
        self._server = await KestrelTestServer.StartAsync(app => self.Map(app));
        return self;
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/api/v1/discovery/watch", async (HttpContext context) =>
        {
            Interlocked.Increment(ref _connections);
            WatchQuery = context.Request.QueryString.Value;
            context.Response.ContentType = "application/x-ndjson";
            await context.Response.StartAsync();
            await foreach (var line in _lines.Reader.ReadAllAsync(context.RequestAborted))
            {
                await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        });
        app.MapPost("/api/v1/discovery/ack", async (HttpContext context) =>
        {
            Acks.Enqueue((await System.Text.Json.JsonSerializer.DeserializeAsync<JsonObject>(context.Request.Body))!);
            return Results.NoContent();
        });
    }

    /// <summary>The query string of the last watch request.</summary>
    public string? WatchQuery { get; private set; }

    /// <summary>Sends one raw line (a delta, or anything else).</summary>
    public void PushLine(JsonObject line) => _lines.Writer.TryWrite(line.ToJsonString());

    public void Push(ConfigSnapshot snapshot, string nonce = "n1") =>
        _lines.Writer.TryWrite(new JsonObject { ["type"] = "snapshot", ["version"] = snapshot.Version, ["nonce"] = nonce, ["snapshot"] = ConfigSnapshotJson.ToNode(snapshot) }.ToJsonString());

    public async Task<JsonObject> NextAckAsync()
    {
        JsonObject? ack = null;
        await Eventually.TrueAsync(() => Acks.TryDequeue(out ack), "an ACK/NACK arrives");
        return ack!;
    }

    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        await _server.DisposeAsync();
    }
}
