// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.CircuitBreaker;
using Acgs.Sidecar.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Yarp.ReverseProxy.Forwarder;

namespace Acgs.Sidecar.Resilience;

/// <summary>Registers the sidecar's resilience layer.</summary>
internal static class ResilienceServiceCollectionExtensions
{
    /// <summary>
    /// Registers: <see cref="TimeProvider.System"/> (unless a <see cref="TimeProvider"/> is
    /// registered), the host's metrics (<see cref="SidecarMetrics"/>, <see cref="BreakerMetrics"/>,
    /// <see cref="ResilienceMetrics"/>, unless registered), the breaker listeners (<see cref="BreakerMetricsListener"/>,
    /// <see cref="BreakerLogListener"/>; other <see cref="ICircuitBreakerListener"/> registrations
    /// are picked up too), the <see cref="CircuitBreakerRegistry"/> singleton built with every
    /// registered listener (unless one is registered), <see cref="DefaultClusterResilienceSource"/>
    /// (unless an <see cref="IClusterResilienceSource"/> is registered), and
    /// <see cref="ResilienceForwarderHttpClientFactory"/> as YARP's
    /// <see cref="IForwarderHttpClientFactory"/>. Call it after <c>AddReverseProxy()</c> (it
    /// replaces YARP's factory registration; YARP registers its own with TryAdd, so calling it
    /// before works too). Needs logging (<c>ILoggerFactory</c>), which every ASP.NET Core host has.
    /// </summary>
    public static IServiceCollection AddAcgsResilience(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SidecarMetrics>();
        services.TryAddSingleton<BreakerMetrics>();
        services.TryAddSingleton<ResilienceMetrics>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICircuitBreakerListener, BreakerMetricsListener>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICircuitBreakerListener, BreakerLogListener>());
        services.TryAddSingleton(static sp => new CircuitBreakerRegistry(
            sp.GetRequiredService<TimeProvider>(),
            sp.GetServices<ICircuitBreakerListener>()));
        services.TryAddSingleton<IClusterResilienceSource, DefaultClusterResilienceSource>();
        services.RemoveAll<IForwarderHttpClientFactory>();
        services.AddSingleton<IForwarderHttpClientFactory, ResilienceForwarderHttpClientFactory>();
        return services;
    }
}
