// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Config;
using Microsoft.Extensions.DependencyInjection;

namespace Acgs.Sidecar.ControlPlaneClient;

/// <summary>Registers the control-plane client when <c>ACGS_CONTROL_PLANE_URL</c> is set.</summary>
internal static class ControlPlaneClientServiceCollectionExtensions
{
    /// <summary>Adds <see cref="ControlPlaneWatchClient"/> (no-op without a URL); throws listing every invalid setting.</summary>
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
        return services;
    }
}
