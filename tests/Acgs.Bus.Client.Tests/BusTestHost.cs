// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Acgs.Core.Redis;
using Acgs.Sidecar.Bus;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Acgs.Bus.Client.Tests;

/// <summary>A real Kestrel host running only the bus (framed port and HTTP API on 127.0.0.1 port 0).</summary>
public sealed class BusTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BusTestHost(WebApplication app)
    {
        _app = app;
        Listeners = app.Services.GetRequiredService<BusListeners>();
        Directory = app.Services.GetRequiredService<BusAgentDirectory>();
    }

    public BusListeners Listeners { get; }

    public BusAgentDirectory Directory { get; }

    public IPEndPoint BusEndPoint => new(IPAddress.Loopback, Listeners.BusPort);

    public string BusAddress => $"127.0.0.1:{Listeners.BusPort}";

    public Uri HttpBase => new($"http://127.0.0.1:{Listeners.HttpPort}/");

    public static async Task<BusTestHost> StartAsync(BusOptions? options = null, RedisOptions? redis = null, TimeProvider? time = null)
    {
        options = (options ?? new BusOptions()) with { Address = "127.0.0.1", Port = 0, HttpPort = 0 };
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.Services.AddAcgsBus(options, redis);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenBus());
        var app = builder.Build();
        await app.StartAsync();
        return new BusTestHost(app);
    }

    public Task<BusClient> ConnectAsync(string agent, string tenant = "t1", BusDeliveryHandler? onDelivery = null, bool autoAck = true) =>
        BusClient.ConnectAsync(BusEndPoint, new BusClientOptions(agent) { TenantId = tenant, OnDelivery = onDelivery, AutoAck = autoAck });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
