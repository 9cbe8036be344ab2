// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Acgs.ControlPlane.Rollouts;

/// <summary>Wiring of the rollouts into the control-plane host.</summary>
internal static class RolloutServiceCollectionExtensions
{
    /// <summary>
    /// Reads <see cref="RolloutOptions"/> from <paramref name="configuration"/> (throws listing every invalid setting) and
    /// registers the rollout manager, its analysis, split writer, metrics and the background controller.
    /// </summary>
    public static IServiceCollection AddAcgsRollouts(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!RolloutOptions.TryRead(configuration, out var options, out var errors))
        {
            throw new InvalidOperationException("Invalid rollout settings: " + string.Join("; ", errors));
        }

        return services.AddAcgsRollouts(options);
    }

    /// <summary>Registers the rollout manager, its analysis, split writer, metrics and the background controller with <paramref name="options"/> (already validated).</summary>
    public static IServiceCollection AddAcgsRollouts(this IServiceCollection services, RolloutOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton<IRolloutStateStore>(static sp =>
        {
            var settings = sp.GetRequiredService<Hosting.ControlPlaneOptions>();
            return settings.Redis is null
                ? new RolloutStateFile(System.IO.Path.Combine(settings.DataDirectory, RolloutStateFile.FileName))
                : new RedisRolloutState(sp.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>(), settings.RedisKeyPrefix);
        });
        services.AddSingleton<RolloutMetrics>();
        services.AddSingleton<RolloutSplitWriter>();
        services.AddSingleton<RolloutAnalyzer>();
        services.AddSingleton<RolloutManager>();
        services.AddHostedService<RolloutController>();
        return services;
    }
}
