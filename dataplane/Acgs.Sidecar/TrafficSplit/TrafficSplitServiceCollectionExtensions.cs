// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Acgs.Sidecar.TrafficSplit;

/// <summary>Registers the weighted traffic split.</summary>
internal static class TrafficSplitServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="TrafficSplitMatcherPolicy"/> (one line in the sidecar's service registration:
    /// <c>services.AddAcgsTrafficSplit();</c>). Without it, <see cref="Config.ConfigApplier"/> compiles split
    /// routes to their primary cluster only, so nothing is ambiguous. <paramref name="random"/> defaults to
    /// <see cref="Random.Shared"/>; tests pass a seeded one.
    /// </summary>
    public static IServiceCollection AddAcgsTrafficSplit(this IServiceCollection services, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.RemoveAll<TrafficSplitMatcherPolicy>();
        services.AddSingleton(new TrafficSplitMatcherPolicy(random ?? Random.Shared));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, TrafficSplitMatcherPolicy>(static sp => sp.GetRequiredService<TrafficSplitMatcherPolicy>()));
        return services;
    }
}
