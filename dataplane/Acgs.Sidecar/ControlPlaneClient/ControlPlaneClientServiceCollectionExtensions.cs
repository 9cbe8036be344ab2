// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.CircuitBreaker;
using Acgs.Sidecar.Bus;
using Acgs.Sidecar.Config;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Acgs.Sidecar.ControlPlaneClient;

/// <summary>Registers the control-plane client when <c>ACGS_CONTROL_PLANE_URL</c> is set.</summary>
internal static class ControlPlaneClientServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ControlPlaneWatchClient"/>, <see cref="AgentReporter"/> (which reports nothing unless the bus is
    /// wired) and <see cref="BreakerReporter"/> — no-op without a URL; throws listing every invalid setting.
    /// </summary>
    public static IServiceCollection AddAcgsControlPlaneClient(this IServiceCollection services, Func<string, string?> getVariable)
    {
        var options = ControlPlaneClientOptions.Read(getVariable, out var errors);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Invalid control-plane client settings: " + string.Join("; ", errors));
        }

        if (options is null)
        {
            return services;
        }

        services.AddSingleton(options);
        services.AddSingleton<ISnapshotApplier>(static sp => new ConfigApplierSnapshotApplier(sp.GetRequiredService<ConfigApplier>()));
        services.AddSingleton(static sp => new BreakerResetter(
            sp.GetService<CircuitBreakerRegistry>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<BreakerResetter>>()));
        services.AddHostedService<ControlPlaneWatchClient>();
        services.TryAddSingleton<ILocalAgentSource>(static sp => new BusLocalAgentSource(
            sp.GetService<BusRouter>(), sp.GetService<BusListeners>(), sp.GetRequiredService<ControlPlaneClientOptions>()));
        services.AddHostedService<AgentReporter>();
        services.AddHostedService(static sp => new BreakerReporter(
            sp.GetRequiredService<ControlPlaneClientOptions>(), sp.GetService<CircuitBreakerRegistry>(), sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<BreakerReporter>>()));
        return services;
    }
}
