// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Acgs.Contracts.Config;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.Tests.ControlPlaneClient;

/// <summary>A control plane speaking the watch/ACK protocol on real Kestrel (127.0.0.1, free port), scripted by the test.</summary>
public sealed class FakeControlPlane : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

    private FakeControlPlane(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public ConcurrentQueue<JsonObject> Acks { get; } = new();

    private int _connections;

    public int Connections => Volatile.Read(ref _connections);

    public static async Task<FakeControlPlane> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeControlPlane? self = null;
        app.MapGet("/api/v1/discovery/watch", async (HttpContext context) =>
        {
            Interlocked.Increment(ref self!._connections);
            context.Response.ContentType = "application/x-ndjson";
            await context.Response.StartAsync();
            await foreach (var line in self._lines.Reader.ReadAllAsync(context.RequestAborted))
            {
                await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        });
        app.MapPost("/api/v1/discovery/ack", async (HttpContext context) =>
        {
            self!.Acks.Enqueue((await System.Text.Json.JsonSerializer.DeserializeAsync<JsonObject>(context.Request.Body))!);
            return Results.NoContent();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new FakeControlPlane(app, new Uri(address));
        return self;
    }

    public void Push(ConfigSnapshot snapshot, string nonce = "n1") =>
        _lines.Writer.TryWrite(new JsonObject { ["type"] = "snapshot", ["version"] = snapshot.Version, ["nonce"] = nonce, ["snapshot"] = ConfigSnapshotJson.ToNode(snapshot) }.ToJsonString());

    public async Task<JsonObject> NextAckAsync()
    {
        for (var i = 0; i < 200; i++)
        {
            if (Acks.TryDequeue(out var ack))
            {
                return ack;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException("no ACK/NACK arrived");
    }

    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
