// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Acgs.Sidecar.Faults;

/// <summary>Wires <see cref="FaultInjectionMiddleware"/> into YARP's proxy pipeline.</summary>
internal static class FaultInjectionExtensions
{
    /// <summary>
    /// Adds the fault-injection step to the proxy pipeline (after route and cluster selection, before load
    /// balancing and forwarding):
    /// <code>app.MapReverseProxy(proxy => { proxy.UseAcgsFaultInjection(); proxy.UseSessionAffinity(); proxy.UseLoadBalancing(); proxy.UsePassiveHealthChecks(); })</code>
    /// Registers <see cref="FaultRandom"/> (<see cref="Random.Shared"/>) unless one is registered already.
    /// </summary>
    public static IReverseProxyApplicationBuilder UseAcgsFaultInjection(this IReverseProxyApplicationBuilder proxy)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        var random = proxy.ApplicationServices.GetService<FaultRandom>() ?? new FaultRandom();
        proxy.UseMiddleware<FaultInjectionMiddleware>(random);
        return proxy;
    }

    /// <summary>Registers a seeded/injected random source for fault injection (tests).</summary>
    public static IServiceCollection AddAcgsFaultRandom(this IServiceCollection services, Random random)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.RemoveAll<FaultRandom>();
        services.AddSingleton(new FaultRandom(random));
        return services;
    }
}
