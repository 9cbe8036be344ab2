// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Admin;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Faults;
using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.Outbound;
using Acgs.Sidecar.HashEnforcement;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Sidecar.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.Tests.Faults;

/// <summary>
/// A real sidecar (its services, listeners on 127.0.0.1:0) whose proxy pipeline includes
/// <c>UseAcgsFaultInjection()</c> — the line the production pipeline is to gain — with an injected
/// <see cref="TimeProvider"/> and a seeded random source.
/// </summary>
internal sealed class FaultTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ListenerPorts _ports;

    private FaultTestHost(WebApplication app, ListenerPorts ports)
    {
        _app = app;
        _ports = ports;
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public Uri Inbound => new($"http://127.0.0.1:{_ports.Inbound}/");

    public Uri Outbound => new($"http://127.0.0.1:{_ports.Outbound}/");

    public Uri Admin => new($"http://127.0.0.1:{_ports.Admin}/");

    public static async Task<FaultTestHost> StartAsync(SidecarBootstrap bootstrap, TimeProvider time, Random random)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var ports = new ListenerPorts();
        builder.WebHost.ConfigureKestrel(kestrel => KestrelListeners.Configure(kestrel, bootstrap.Options, ports));
        builder.Services.AddAcgsSidecar(bootstrap, ports);
        builder.Services.RemoveAll<TimeProvider>();
        builder.Services.AddSingleton(time);
        builder.Services.AddAcgsFaultRandom(random);
        var app = builder.Build();

        // SidecarPipeline.Configure with the fault step in the proxy pipeline.
        var telemetry = app.Services.GetRequiredService<TelemetryRegistry>();
        app.UseMiddleware<RequestTelemetryMiddleware>();
        app.UseMiddleware<HashEnforcementMiddleware>();
        app.UseRouting();
        AdminEndpoints.Map(app);
        app.MapReverseProxy(static proxy =>
        {
            proxy.UseAcgsFaultInjection();
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        }).ConfigureEndpoints((endpoint, route) =>
        {
            var kind = route.Metadata is not null
                && route.Metadata.TryGetValue(ProxyConfigBuilder.ListenerMetadataKey, out var listener)
                && listener == "outbound" ? ListenerKind.Outbound : ListenerKind.Inbound;
            endpoint.WithMetadata(ListenerMetadata.For(kind), telemetry.For(kind, route.ClusterId ?? TelemetryRegistry.NoCluster));
        });
        app.Map("{**catch-all}", OutboundRoutes.NoRouteAsync).WithOrder(int.MaxValue).WithMetadata(ListenerMetadata.Outbound);

        var applied = await app.Services.GetRequiredService<ConfigApplier>().ApplyAsync(bootstrap.Snapshot, bootstrap.Source);
        Assert.True(applied.Accepted, string.Join("; ", applied.Errors));
        await app.StartAsync();
        return new FaultTestHost(app, ports);
    }

    public static Task<FaultTestHost> StartAsync(int appPort, Func<Contracts.Config.ConfigSnapshot, Contracts.Config.ConfigSnapshot> snapshot, TimeProvider time, Random random) =>
        StartAsync(new SidecarBootstrap(SidecarTestHost.Options(appPort), snapshot(SidecarTestHost.Snapshot()), ConfigSources.Bootstrap, HashOverrides.None), time, random);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
