// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Frozen;
using Acgs.Contracts.Config;
using Acgs.Sidecar.Authorization;
using Acgs.Sidecar.Faults;
using Acgs.Sidecar.HashEnforcement;
using Acgs.Sidecar.Resilience;

namespace Acgs.Sidecar.Config;

/// <summary>
/// The active snapshot and everything precomputed from it when it was applied: the hash policy,
/// the per-cluster resilience settings, the YARP config, the fault rules and the authorization matcher. Immutable; replaced as a whole.
/// </summary>
internal sealed class ActiveConfig
{
    /// <summary>Creates an active config.</summary>
    public ActiveConfig(
        ConfigSnapshot snapshot,
        string source,
        DateTimeOffset appliedAt,
        HashPolicyRuntime hash,
        FrozenDictionary<string, ClusterResilience> resilience,
        AcgsProxyConfig proxy,
        FaultRuleSet? faults = null,
        AuthorizationMatcher? authorization = null)
    {
        Snapshot = snapshot;
        Source = source;
        AppliedAt = appliedAt;
        Hash = hash;
        Resilience = resilience;
        Proxy = proxy;
        Faults = faults;
        Authorization = authorization;
    }

    /// <summary>The snapshot.</summary>
    public ConfigSnapshot Snapshot { get; }

    /// <summary>Where it came from (<see cref="ConfigSources"/>).</summary>
    public string Source { get; }

    /// <summary>When it was applied.</summary>
    public DateTimeOffset AppliedAt { get; }

    /// <summary>The precomputed hash policy.</summary>
    public HashPolicyRuntime Hash { get; }

    /// <summary>Resilience settings by YARP cluster id.</summary>
    public FrozenDictionary<string, ClusterResilience> Resilience { get; }

    /// <summary>The YARP routes and clusters.</summary>
    public AcgsProxyConfig Proxy { get; }

    /// <summary>The compiled fault rules, or null when the snapshot has none.</summary>
    public FaultRuleSet? Faults { get; }

    /// <summary>The compiled authorization, or null when the snapshot has none (every caller allowed).</summary>
    public AuthorizationMatcher? Authorization { get; }
}
