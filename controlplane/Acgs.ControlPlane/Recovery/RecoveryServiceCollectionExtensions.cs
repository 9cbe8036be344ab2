// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Distribution;
using Acgs.ControlPlane.HealthAggregation;
using Acgs.ControlPlane.Hosting;
using Acgs.ControlPlane.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Acgs.ControlPlane.Recovery;

/// <summary>Registers the recovery orchestrator.</summary>
internal static class RecoveryServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="RecoveryOptions"/> (read from <paramref name="configuration"/>; throws listing every invalid
    /// setting), the orchestrator with the health-aggregator probe and the watch-stream breaker reset (fanned out to the other replicas over Redis when the
    /// store is Redis — call it after the store is registered), its metrics and
    /// the <see cref="RecoveryService"/> worker. Needs the health aggregator, the distribution hub and the control-plane
    /// metrics registered.
    /// </summary>
    public static IServiceCollection AddAcgsRecovery(this IServiceCollection services, IConfiguration configuration)
    {
        if (!RecoveryOptions.TryRead(configuration, out var options, out var errors))
        {
            throw new InvalidOperationException("Invalid recovery settings: " + string.Join("; ", errors));
        }

        return services.AddAcgsRecovery(options);
    }

    /// <summary>As <see cref="AddAcgsRecovery(IServiceCollection, IConfiguration)"/> with <paramref name="options"/> already read and valid.</summary>
    public static IServiceCollection AddAcgsRecovery(this IServiceCollection services, RecoveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton(static sp => new RecoveryMetrics(sp.GetRequiredService<ControlPlaneMetrics>().Registry));
        services.AddSingleton<IRecoveryProbe>(static sp => new HealthAggregatorProbe(sp.GetRequiredService<HealthAggregator>()));
        services.AddSingleton(static sp => new WatchStreamBreakerResetPublisher(sp.GetRequiredService<DistributionHub>()));
        if (services.Any(static d => d.ServiceType == typeof(IConnectionMultiplexer)))
        {
            services.AddSingleton(static sp =>
            {
                var settings = sp.GetRequiredService<ControlPlaneOptions>();
                return new RedisBreakerResetFanout(sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<WatchStreamBreakerResetPublisher>(),
                    settings.RedisKeyPrefix, settings.ReplicaId, sp.GetRequiredService<ILogger<RedisBreakerResetFanout>>());
            });
            services.AddSingleton<IBreakerResetPublisher>(static sp => sp.GetRequiredService<RedisBreakerResetFanout>());
            services.AddHostedService(static sp => sp.GetRequiredService<RedisBreakerResetFanout>());
        }
        else
        {
            services.AddSingleton<IBreakerResetPublisher>(static sp => sp.GetRequiredService<WatchStreamBreakerResetPublisher>());
        }

        services.AddSingleton(static sp => new RecoveryOrchestrator(
            sp.GetRequiredService<RecoveryOptions>(), sp.GetRequiredService<IRecoveryProbe>(), sp.GetRequiredService<IBreakerResetPublisher>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RecoveryOrchestrator>>(), sp.GetRequiredService<RecoveryMetrics>()));
        services.AddHostedService<RecoveryService>();
        return services;
    }
}
