// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Hosting;
using Acgs.ControlPlane.Store;
using Acgs.ControlPlane.Telemetry;
using Acgs.Core.ConstitutionalHash;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Acgs.ControlPlane.Identity;

/// <summary>Registers the certificate authority.</summary>
internal static class IdentityServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IdentityOptions"/> (throws listing every invalid setting), the identity store (Redis when the
    /// policy store is Redis — call it after the store is registered — else beside the embedded store), the CA loaded
    /// at start, the TokenReview client when <c>ACGS_KUBERNETES_API</c> is set, and <see cref="IdentityService"/>.
    /// </summary>
    public static IServiceCollection AddAcgsIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        if (!IdentityOptions.TryRead(configuration, out var options, out var errors))
        {
            throw new InvalidOperationException("Invalid identity settings: " + string.Join("; ", errors));
        }

        return services.AddAcgsIdentity(options);
    }

    /// <summary>As <see cref="AddAcgsIdentity(IServiceCollection, IConfiguration)"/> with <paramref name="options"/> already read and valid.</summary>
    public static IServiceCollection AddAcgsIdentity(this IServiceCollection services, IdentityOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(static sp => new IdentityMetrics(sp.GetRequiredService<ControlPlaneMetrics>().Registry));
        if (services.Any(static d => d.ServiceType == typeof(IConnectionMultiplexer)))
        {
            services.AddSingleton<IIdentityStore>(static sp => new RedisIdentityStore(
                sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<ControlPlaneOptions>().RedisKeyPrefix));
        }
        else
        {
            services.AddSingleton<IIdentityStore>(static sp => new EmbeddedIdentityStore(sp.GetRequiredService<ControlPlaneOptions>().DataDirectory));
        }

        if (options.KubernetesApi is not null)
        {
            services.AddSingleton<ITokenReviewer>(static sp => new KubernetesTokenReviewer(sp.GetRequiredService<IdentityOptions>()));
        }

        services.AddSingleton<CertificateAuthorityProvider>();
        services.AddHostedService(static sp => sp.GetRequiredService<CertificateAuthorityProvider>());
        services.AddSingleton(static sp => new IdentityService(
            sp.GetRequiredService<IdentityOptions>(), sp.GetRequiredService<CertificateAuthorityProvider>(), sp.GetRequiredService<IIdentityStore>(),
            sp.GetRequiredService<IPolicyStore>(), sp.GetRequiredService<ConstitutionalHashSet>(), sp.GetService<ITokenReviewer>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IdentityMetrics>(), sp.GetRequiredService<ILogger<IdentityService>>()));
        return services;
    }
}
