// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;

namespace Acgs.Sidecar.Resilience;

/// <summary>
/// The source used when the host registers none: every cluster gets
/// <see cref="ClusterResilience.For(string)"/> (seed breaker defaults, 30 s timeout, no retries).
/// </summary>
internal sealed class DefaultClusterResilienceSource : IClusterResilienceSource
{
    private readonly ConcurrentDictionary<string, ClusterResilience> _cache = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ClusterResilience Get(string clusterId)
    {
        ArgumentNullException.ThrowIfNull(clusterId);
        return _cache.TryGetValue(clusterId, out var settings) ? settings : _cache.GetOrAdd(clusterId, ClusterResilience.For);
    }
}
