// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Config;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.Identity;

/// <summary>Registers the workload identity (always: <see cref="WorkloadIdentity"/> says whether it is on).</summary>
internal static class IdentityServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="WorkloadIdentity"/> from <paramref name="getVariable"/> (throws listing every invalid setting) and,
    /// when identity is on, the <see cref="IdentityRenewer"/>. A test may register its own <see cref="IdentitySettings"/> first.
    /// </summary>
    public static IServiceCollection AddAcgsIdentity(this IServiceCollection services, Func<string, string?> getVariable)
    {
        var errors = new List<string>();
        var settings = IdentitySettings.Read(getVariable, errors);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Invalid identity settings: " + string.Join("; ", errors));
        }

        services.TryAddSingleton(settings);
        services.AddSingleton(static sp => new IdentityMetrics(sp.GetRequiredService<Telemetry.SidecarMetrics>()));
        services.AddSingleton(static sp => new CallerMetrics(sp.GetRequiredService<Telemetry.SidecarMetrics>()));
        services.AddSingleton(static sp => new WorkloadIdentity(sp.GetRequiredService<IdentitySettings>(), sp.GetRequiredService<IdentityMetrics>()));
        services.AddSingleton(static sp => new RejectionLog(sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetRequiredService<ILogger<RejectionLog>>(),
            sp.GetRequiredService<IdentityMetrics>()));
        services.AddSingleton(static sp => new MutualTlsRuntime(sp.GetRequiredService<ConfigApplier>(), sp.GetRequiredService<WorkloadIdentity>(),
            sp.GetRequiredService<RejectionLog>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddSingleton(static sp => new IdentityClient(sp.GetRequiredService<IdentitySettings>().ControlPlaneUrl ?? new Uri("http://127.0.0.1:8000")));
        services.AddHostedService(static sp =>
        {
            var identity = sp.GetRequiredService<WorkloadIdentity>();
            return new IdentityRenewer(identity, sp.GetRequiredService<IdentityClient>(), sp.GetRequiredService<SidecarBootstrap>().Snapshot.ConstitutionalHash,
                sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetRequiredService<ILogger<IdentityRenewer>>());
        });
        return services;
    }
}
