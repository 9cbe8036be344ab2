// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using Acgs.Sidecar.Resilience;

namespace Acgs.Sidecar.Config;

/// <summary>
/// <see cref="IClusterResilienceSource"/> over the active snapshot: a lookup in the
/// <c>FrozenDictionary</c> built when the snapshot was applied (same instance while the settings
/// are unchanged). Clusters the snapshot does not know get the seed defaults, cached.
/// </summary>
internal sealed class SnapshotClusterResilienceSource : IClusterResilienceSource
{
    private readonly ConfigApplier _config;
    private readonly ConcurrentDictionary<string, ClusterResilience> _fallback = new(StringComparer.Ordinal);

    /// <summary>Creates the source.</summary>
    public SnapshotClusterResilienceSource(ConfigApplier config) => _config = config;

    /// <inheritdoc />
    public ClusterResilience Get(string clusterId)
    {
        ArgumentNullException.ThrowIfNull(clusterId);
        if (_config.CurrentOrNull is { } active && active.Resilience.TryGetValue(clusterId, out var settings))
        {
            return settings;
        }

        return _fallback.TryGetValue(clusterId, out settings) ? settings : _fallback.GetOrAdd(clusterId, ClusterResilience.For);
    }
}
