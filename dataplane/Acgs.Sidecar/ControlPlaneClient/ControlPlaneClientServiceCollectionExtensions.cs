// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.CircuitBreaker;
using Acgs.Sidecar.Bus;
using Acgs.Sidecar.Config;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.ControlPlaneClient;

/// <summary>Registers the control-plane client when <c>ACGS_CONTROL_PLANE_URL</c> is set.</summary>
internal static class ControlPlaneClientServiceCollectionExtensions
{
    /// <summary>
    /// Adds the one <see cref="ControlPlaneConnection"/> and the services that use it: <see cref="ControlPlaneWatchClient"/>,
    /// <see cref="AgentReporter"/> (which reports nothing unless the bus is wired) and <see cref="BreakerReporter"/> — no-op
    /// without a URL; throws listing every invalid setting.
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
        services.AddSingleton(static sp => new ControlPlaneConnection(
            sp.GetRequiredService<ControlPlaneClientOptions>(), sp.GetService<TimeProvider>() ?? TimeProvider.System, identity: sp.GetService<Identity.WorkloadIdentity>()));
        services.AddSingleton<ISnapshotApplier>(static sp => new ConfigApplierSnapshotApplier(sp.GetRequiredService<ConfigApplier>()));
        services.AddSingleton(static sp => new BreakerResetter(
            sp.GetService<CircuitBreakerRegistry>(), sp.GetRequiredService<ILogger<BreakerResetter>>()));
        services.AddHostedService(static sp => new ControlPlaneWatchClient(
            sp.GetRequiredService<ControlPlaneConnection>(), sp.GetRequiredService<ISnapshotApplier>(),
            sp.GetRequiredService<ILogger<ControlPlaneWatchClient>>(), sp.GetRequiredService<BreakerResetter>()));
        services.TryAddSingleton<ILocalAgentSource>(static sp => new BusLocalAgentSource(
            sp.GetService<BusRouter>(), sp.GetService<BusListeners>(), sp.GetRequiredService<ControlPlaneClientOptions>()));
        services.AddHostedService(static sp => new AgentReporter(
            sp.GetRequiredService<ControlPlaneConnection>(), sp.GetRequiredService<ILocalAgentSource>(), sp.GetRequiredService<ILogger<AgentReporter>>()));
        services.AddHostedService(static sp => new BreakerReporter(
            sp.GetRequiredService<ControlPlaneConnection>(), sp.GetService<CircuitBreakerRegistry>(), sp.GetRequiredService<ILogger<BreakerReporter>>(),
            sp.GetService<Telemetry.GoldenEdges>()));
        return services;
    }
}
