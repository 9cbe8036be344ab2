// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Acgs.Core.ConstitutionalHash;
using Acgs.Core.Redis;
using Acgs.Sidecar.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.Bus;

/// <summary>
/// Wiring of the message bus into a host, two lines:
/// <c>services.AddAcgsBus(options)</c> and, in <c>ConfigureKestrel</c>, <c>kestrel.ListenBus()</c>.
/// </summary>
public static class BusServiceCollectionExtensions
{
    /// <summary>
    /// Registers the bus (router, pools, metrics, offline store when <paramref name="redis"/> is given
    /// and <see cref="BusOptions.UseStore"/> is set) and its HTTP API on <see cref="BusOptions.HttpPort"/>.
    /// </summary>
    public static IServiceCollection AddAcgsBus(this IServiceCollection services, BusOptions options, RedisOptions? redis = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid bus options: " + string.Join("; ", errors), nameof(options));
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton<BusListeners>();
        services.AddSingleton<BusLatencyStats>();
        services.AddSingleton(static _ => new BusMessagePool());
        services.TryAddSingleton<SidecarMetrics>(); // the host's registry (the sidecar registers it; a bus-only host gets its own)
        services.AddSingleton(static sp => new BusMetrics(sp.GetRequiredService<SidecarMetrics>()));
        services.AddSingleton(static sp => new BusAgentDirectory(sp.GetRequiredService<BusOptions>().Directory));
        services.AddSingleton(static sp => new BusRouter(
            sp.GetRequiredService<BusOptions>(),
            sp.GetRequiredService<BusMessagePool>(),
            sp.GetRequiredService<BusMetrics>(),
            sp.GetRequiredService<BusLatencyStats>(),
            sp.GetRequiredService<BusAgentDirectory>(),
            new ConstitutionalHashValidator(sp.GetRequiredService<BusOptions>().AcceptedHashes),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<BusRouter>>())
        {
            // Identity on (the sidecar registers it): peer links are mutual TLS with the workload certificate.
            PeerTls = new BusPeerTls(sp.GetService<Identity.MutualTlsRuntime>()),
            TraceDecision = sp.GetService<Tracing.TraceDecision>() ?? new Tracing.TraceDecision(sp.GetService<Tracing.TracingOptions>() ?? Tracing.TracingOptions.Off), // the HTTP listeners' decision (and the Tracing policy's ratio)
        });
        services.AddSingleton<BusHttpApi>();
        if (options.InlineTransport)
        {
            // Binds only the bus port (BusListenEndPoint); Kestrel tries the last registered factory first.
            services.AddSingleton<IConnectionListenerFactory, BusTransportFactory>();
        }

        services.AddSingleton(sp => new BusHostedService(sp.GetRequiredService<BusRouter>(), options, redis, sp.GetRequiredService<IHostApplicationLifetime>()));
        services.AddHostedService(static sp => sp.GetRequiredService<BusHostedService>());
        if (options.HttpPort >= 0)
        {
            services.AddTransient<IStartupFilter, BusHttpStartupFilter>();
        }

        return services;
    }

    /// <summary>Both lines at once for a <see cref="WebApplicationBuilder"/>: <see cref="AddAcgsBus"/> and <see cref="ListenBus"/>.</summary>
    public static WebApplicationBuilder UseAcgsBus(this WebApplicationBuilder builder, BusOptions options, RedisOptions? redis = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAcgsBus(options, redis);
        builder.WebHost.ConfigureKestrel(static kestrel => kestrel.ListenBus());
        return builder;
    }

    /// <summary>Binds the bus's framed-TCP listener (and its HTTP API listener) on Kestrel.</summary>
    public static KestrelServerOptions ListenBus(this KestrelServerOptions kestrel)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        var options = kestrel.ApplicationServices.GetRequiredService<BusOptions>();
        var listeners = kestrel.ApplicationServices.GetRequiredService<BusListeners>();
        var pipeline = new BusListenerPipeline(kestrel.ApplicationServices.GetRequiredService<BusRouter>());
        var endPoint = new IPEndPoint(IPAddress.Parse(options.Address), options.Port);
        kestrel.Listen(options.InlineTransport ? new BusListenEndPoint(endPoint) : endPoint, listen =>
        {
            pipeline.Configure(listen);
            listeners.SetBus(listen);
        });
        if (options.HttpPort >= 0)
        {
            kestrel.Listen(IPAddress.Parse(options.HttpAddress), options.HttpPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listeners.SetHttp(listen);
            });
        }

        return kestrel;
    }

    /// <summary>Whether a request arrived on the bus HTTP API listener.</summary>
    internal static bool IsBusHttp(this Microsoft.AspNetCore.Http.HttpContext context, BusListeners listeners) =>
        listeners.HttpPort != 0 && context.Connection.LocalPort == listeners.HttpPort;
}
