// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Resilience;

/// <summary>
/// Where the resilience handler reads a cluster's current settings. Called on every proxied
/// request, so implementations must be a cheap lookup in a precomputed snapshot (e.g. a
/// <c>FrozenDictionary</c> swapped when config is applied), must not allocate, and should return
/// the same instance until the settings change (a new instance re-applies the breaker settings).
/// Unknown clusters should get <see cref="ClusterResilience.For(string)"/>.
/// </summary>
internal interface IClusterResilienceSource
{
    /// <summary>The settings that apply now to <paramref name="clusterId"/>.</summary>
    ClusterResilience Get(string clusterId);
}
