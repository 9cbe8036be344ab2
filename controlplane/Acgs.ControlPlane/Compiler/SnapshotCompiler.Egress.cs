// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using Acgs.Contracts.Config;
using Acgs.Contracts.Policies;

namespace Acgs.ControlPlane.Compiler;

/// <summary>Scoped snapshots: the clusters a service with an Egress policy calls.</summary>
internal static partial class SnapshotCompiler
{
    /// <summary>
    /// The clusters <paramref name="service"/>'s snapshot holds, or null (every cluster) without an Egress policy for it (else
    /// mesh-wide): the Egress policy's services, the clusters of the Route policies for the service (else mesh-wide), and the
    /// blue and green clusters of every TrafficSplit whose target is in scope (until nothing more is added: a split's blue
    /// cluster may itself be split). A TrafficSplit, CircuitBreaker, Timeout, Retry or FaultInjection policy of a service out of
    /// scope cannot change the snapshot. Reads only the policies that <see cref="AppliesTo"/> the service.
    /// </summary>
    internal static HashSet<string>? ScopeOf(string service, IReadOnlyList<ActivePolicy> policies)
    {
        if (Pick<EgressSpec>(service, policies) is not { } egress)
        {
            return null;
        }

        var scope = new HashSet<string>(egress.Services, StringComparer.Ordinal);
        foreach (var policy in policies)
        {
            if (policy.Document.Spec is RouteSpec route && (policy.Document.IsMeshWide || string.Equals(policy.Document.Target, service, StringComparison.Ordinal)))
            {
                scope.Add(route.Cluster);
            }
        }

        bool added;
        do
        {
            added = false;
            foreach (var policy in policies)
            {
                if (policy.Document.Spec is TrafficSplitSpec split && !policy.Document.IsMeshWide && scope.Contains(policy.Document.Target))
                {
                    added |= scope.Add(split.BlueCluster);
                    added |= scope.Add(split.GreenCluster);
                }
            }
        }
        while (added);

        return scope;
    }

    /// <summary>True when <paramref name="policy"/> (one that <see cref="AppliesTo"/> the service) can change the snapshot of a service scoped to <paramref name="scope"/>.</summary>
    internal static bool InScope(ActivePolicy policy, string service, HashSet<string>? scope) =>
        scope is null || policy.Document.IsMeshWide || string.Equals(policy.Document.Target, service, StringComparison.Ordinal) || scope.Contains(policy.Document.Target);

    /// <summary>
    /// The scoped clusters and their names in ordinal order: of the pass's shared clusters those in <paramref name="scope"/> (the
    /// same instances, so their serialized and validated forms are shared), with Route policies' static destinations as
    /// <see cref="Clusters(CompilationInputs, SortedDictionary{string, SortedSet{string}})"/> adds them.
    /// </summary>
    private static (ImmutableDictionary<string, ClusterConfig> Clusters, IEnumerable<string> Names) ScopedClusters(
        CompilationInputs inputs, SortedDictionary<string, SortedSet<string>> statics, HashSet<string> scope)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var name in scope)
        {
            if (inputs.Destinations.ContainsKey(name))
            {
                names.Add(name);
            }
        }

        names.UnionWith(statics.Keys);
        var clusters = ImmutableDictionary.CreateBuilder<string, ClusterConfig>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (statics.TryGetValue(name, out var addresses))
            {
                if (inputs.Destinations.TryGetValue(name, out var discovered))
                {
                    addresses.UnionWith(discovered);
                }

                clusters[name] = Cluster(name, addresses, inputs.ResiliencePolicies, inputs.Destinations.ContainsKey(name), inputs.TrustBundle, inputs.TrustDomain);
            }
            else
            {
                clusters[name] = inputs.Clusters[name];
            }
        }

        return (clusters.ToImmutable(), names);
    }

    /// <summary>A warning per service the Egress policy lists that has no cluster yet (no sidecars, no static destinations).</summary>
    private static void EgressWarnings(string service, List<ActivePolicy> applicable, ImmutableDictionary<string, ClusterConfig> clusters, List<string> warnings)
    {
        if (PickPolicy<EgressSpec>(service, applicable) is not { Document.Spec: EgressSpec egress } policy)
        {
            return;
        }

        foreach (var name in egress.Services)
        {
            if (!clusters.ContainsKey(name))
            {
                warnings.Add($"policy '{policy.PolicyId}': egress service '{name}' has no sidecars yet (its cluster and route are added when one registers)");
            }
        }
    }
}
