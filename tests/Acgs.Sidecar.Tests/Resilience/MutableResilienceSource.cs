// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using Acgs.Sidecar.Resilience;

namespace Acgs.Sidecar.Tests.Resilience;

/// <summary>An <see cref="IClusterResilienceSource"/> whose settings the test sets.</summary>
internal sealed class MutableResilienceSource : IClusterResilienceSource
{
    private readonly ConcurrentDictionary<string, ClusterResilience> _settings = new(StringComparer.Ordinal);

    public void Set(string clusterId, ClusterResilience settings) => _settings[clusterId] = settings;

    public ClusterResilience Get(string clusterId) => _settings.GetOrAdd(clusterId, ClusterResilience.For);
}
