// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Bus;
using Acgs.Sidecar.Config;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Acgs.Sidecar.ControlPlaneClient;

/// <summary>Registers the control-plane client when <c>ACGS_CONTROL_PLANE_URL</c> is set.</summary>
internal static class ControlPlaneClientServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ControlPlaneWatchClient"/> and <see cref="AgentReporter"/> (which reports nothing unless the bus is
    /// wired) — no-op without a URL; throws listing every invalid setting.
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
        services.AddHostedService<ControlPlaneWatchClient>();
        services.TryAddSingleton<ILocalAgentSource>(static sp => new BusLocalAgentSource(
            sp.GetService<BusRouter>(), sp.GetService<BusListeners>(), sp.GetRequiredService<ControlPlaneClientOptions>()));
        services.AddHostedService<AgentReporter>();
        return services;
    }
}
