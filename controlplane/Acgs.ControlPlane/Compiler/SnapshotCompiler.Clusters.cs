// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using Acgs.Contracts.Config;
using Acgs.Contracts.Policies;

namespace Acgs.ControlPlane.Compiler;

internal static partial class SnapshotCompiler
{
    /// <summary>
    /// A cluster: its destinations, breaker/timeout/retry from the policies for that service (else mesh-wide), and, with
    /// identity on, the SPIFFE id its sidecars present when <paramref name="meshed"/> (a service with registered sidecars).
    /// </summary>
    internal static ClusterConfig Cluster(string name, SortedSet<string> addresses, IReadOnlyList<ActivePolicy> policies, bool meshed,
        ImmutableArray<string> trustBundle, string? trustDomain)
    {
        var resilience = Resilience(name, policies);
        return new ClusterConfig
        {
            Destinations = [.. addresses],
            Breaker = resilience.Breaker,
            FailureStatuses = resilience.FailureStatuses,
            TimeoutSeconds = resilience.TimeoutSeconds,
            Retry = resilience.Retry,
            Identity = trustDomain is not null && !trustBundle.IsDefaultOrEmpty && meshed ? Acgs.Contracts.Identity.SpiffeId.ForService(trustDomain, name) : null,
        };
    }

    /// <summary>
    /// A service's clusters and their names in ordinal order: the pass's shared clusters as they are, unless Route policies
    /// for this service add static destinations (<paramref name="statics"/>): then those clusters are rebuilt with them.
    /// </summary>
    private static (ImmutableDictionary<string, ClusterConfig> Clusters, IEnumerable<string> Names) Clusters(CompilationInputs inputs, SortedDictionary<string, SortedSet<string>> statics)
    {
        if (statics.Count == 0)
        {
            return (inputs.Clusters, inputs.Destinations.Keys);
        }

        var merged = new SortedDictionary<string, SortedSet<string>>(inputs.Destinations, StringComparer.Ordinal);
        foreach (var (name, addresses) in statics)
        {
            if (merged.TryGetValue(name, out var discovered))
            {
                addresses.UnionWith(discovered);
            }

            merged[name] = addresses;
        }

        var clusters = ImmutableDictionary.CreateBuilder<string, ClusterConfig>(StringComparer.Ordinal);
        foreach (var (name, addresses) in merged)
        {
            clusters[name] = statics.ContainsKey(name) || !inputs.Clusters.TryGetValue(name, out var shared)
                ? Cluster(name, addresses, inputs.ResiliencePolicies, inputs.Destinations.ContainsKey(name), inputs.TrustBundle, inputs.TrustDomain)
                : shared;
        }

        return (clusters.ToImmutable(), merged.Keys);
    }

    /// <summary>Resilience settings of <paramref name="target"/> from every policy (only CircuitBreaker, Timeout and Retry ones count).</summary>
    private static (BreakerSettings? Breaker, ImmutableArray<int> FailureStatuses, double? TimeoutSeconds, RetryPolicy? Retry) Resilience(string target, IReadOnlyList<ActivePolicy> policies)
    {
        var breaker = Pick<CircuitBreakerSpec>(target, policies);
        var timeout = Pick<TimeoutSpec>(target, policies);
        var retry = Pick<RetrySpec>(target, policies);
        return (
            breaker is null ? null : new BreakerSettings { FailMax = breaker.FailMax, ResetTimeoutSeconds = breaker.ResetTimeoutSeconds },
            breaker?.FailureStatuses ?? [],
            timeout is null ? null : timeout.RequestTimeoutMs / 1000.0,
            retry is null || retry.Attempts == 0 ? null : new RetryPolicy
            {
                MaxAttempts = retry.Attempts + 1,
                PerTryTimeoutSeconds = retry.PerTryTimeoutMs > 0 ? retry.PerTryTimeoutMs / 1000.0 : null,
                RetryOnStatuses = retry.RetryOn,
            });
    }
}
