// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Hosting;
using Acgs.ControlPlane.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Acgs.ControlPlane.Metering;

/// <summary>Registers the metering store (Redis when configured, else the embedded file) and its metrics.</summary>
internal static class MeteringServiceCollectionExtensions
{
    public static IServiceCollection AddAcgsMetering(this IServiceCollection services, MeteringStoreOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(static sp => new MeteringMetrics(sp.GetRequiredService<ControlPlaneMetrics>().Registry));
        if (services.Any(static d => d.ServiceType == typeof(IConnectionMultiplexer)))
        {
            services.AddSingleton<IMeteringStore>(static sp => new RedisMeteringStore(sp.GetRequiredService<IConnectionMultiplexer>(),
                sp.GetRequiredService<ControlPlaneOptions>().RedisKeyPrefix, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<MeteringStoreOptions>()));
        }
        else
        {
            services.AddSingleton<IMeteringStore>(static sp => new EmbeddedMeteringStore(sp.GetRequiredService<ControlPlaneOptions>().DataDirectory,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<MeteringStoreOptions>()));
        }

        return services;
    }
}
