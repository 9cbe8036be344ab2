// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using Acgs.Contracts.Config;
using Acgs.Contracts.Policies;
using Acgs.ControlPlane.Discovery;

namespace Acgs.ControlPlane.Compiler;

/// <summary>Routes, traffic splits, fault rules and the agent directory of <see cref="SnapshotCompiler"/>.</summary>
internal static partial class SnapshotCompiler
{
    /// <summary>The comparison key of a path prefix: <c>/</c> for "every path", else upper-cased without a trailing '/'.</summary>
    public static string PrefixKey(string? prefix)
    {
        var trimmed = prefix is null ? string.Empty : prefix.TrimEnd('/');
        return trimmed.Length == 0 ? "/" : trimmed.ToUpperInvariant();
    }

    /// <summary>Route policies for <paramref name="service"/> by (host, prefix key), service over mesh; static destinations are added to their clusters.</summary>
    private static Dictionary<(string Host, string Prefix), (string Cluster, string PathPrefix, bool Specific)> RoutesFromPolicies(
        string service, List<ActivePolicy> applicable, SortedDictionary<string, SortedSet<string>> destinations, List<string> errors)
    {
        var routes = new Dictionary<(string Host, string Prefix), (string Cluster, string PathPrefix, bool Specific)>(HostPrefixComparer.Instance);
        foreach (var policy in applicable)
        {
            if (policy.Document.Spec is not RouteSpec route || !(policy.Document.IsMeshWide || policy.Document.Target == service))
            {
                continue;
            }

            foreach (var destination in route.Destinations)
            {
                AddDestination(destinations, route.Cluster, destination);
            }

            if (route.Hosts.IsDefaultOrEmpty)
            {
                errors.Add($"policy '{policy.PolicyId}': spec.hosts must name at least one host (outbound routes match by Host)");
            }

            var specific = !policy.Document.IsMeshWide;
            var key = PrefixKey(route.PathPrefix);
            foreach (var host in route.Hosts)
            {
                if (!routes.TryGetValue((host, key), out var existing) || (specific && !existing.Specific))
                {
                    routes[(host, key)] = (route.Cluster, route.PathPrefix, specific);
                }
            }
        }

        return routes;
    }

    /// <summary>
    /// Every route to a split service becomes a blue/green split; a split service without any route gets one for its name.
    /// With a <paramref name="scope"/> only splits of services in it count.
    /// </summary>
    private static void ApplyTrafficSplits(List<ActivePolicy> applicable, HashSet<string>? scope, ImmutableDictionary<string, ClusterConfig> clusters, List<OutboundRoute> outbound, List<string> errors)
    {
        foreach (var policy in applicable)
        {
            if (policy.Document.Spec is not TrafficSplitSpec split || policy.Document.IsMeshWide || (scope is not null && !scope.Contains(policy.Document.Target)))
            {
                continue;
            }

            var missing = false;
            foreach (var cluster in (ReadOnlySpan<string>)[split.BlueCluster, split.GreenCluster])
            {
                if (!clusters.ContainsKey(cluster))
                {
                    errors.Add($"policy '{policy.PolicyId}': traffic split cluster '{cluster}' has no sidecars and no static destinations");
                    missing = true;
                }
            }

            if (missing)
            {
                continue;
            }

            ImmutableArray<WeightedCluster> weighted =
            [
                new WeightedCluster { Cluster = split.BlueCluster, Weight = split.BlueWeight },
                new WeightedCluster { Cluster = split.GreenCluster, Weight = split.GreenWeight },
            ];
            var target = policy.Document.Target;
            var found = false;
            for (var i = 0; i < outbound.Count; i++)
            {
                if (string.Equals(outbound[i].Cluster, target, StringComparison.Ordinal))
                {
                    outbound[i] = outbound[i] with { Cluster = split.BlueCluster, WeightedClusters = weighted };
                    found = true;
                }
            }

            if (!found)
            {
                outbound.Add(new OutboundRoute { Host = target, Cluster = split.BlueCluster, WeightedClusters = weighted });
            }
        }
    }

    /// <summary>
    /// The FaultInjection policy for <paramref name="service"/> (else mesh-wide) as an inbound delay/abort rule,
    /// then, per cluster (ordinal order), a <c>force_open_breaker</c> rule when the FaultInjection policy for that
    /// cluster's service (else mesh-wide) forces its breaker open. Every rule expires <c>duration_seconds</c>
    /// after the policy's activation.
    /// </summary>
    private static ImmutableArray<FaultRule> FaultRules(string service, List<ActivePolicy> applicable, IEnumerable<string> clusters, List<string> warnings)
    {
        var rules = ImmutableArray.CreateBuilder<FaultRule>();
        if (PickPolicy<FaultInjectionSpec>(service, applicable) is { Document.Spec: FaultInjectionSpec spec } policy
            && (spec.DelayMs > 0 || spec.AbortStatus is not null))
        {
            rules.Add(new FaultRule
            {
                Name = policy.PolicyId,
                Inbound = true,
                PathPrefix = spec.Route is null or "/" ? null : spec.Route,
                Delay = spec.DelayMs > 0 ? new FaultDelay { Percentage = spec.Percentage, FixedDelayMs = spec.DelayMs } : null,
                Abort = spec.AbortStatus is { } status ? new FaultAbort { Percentage = spec.Percentage, HttpStatus = status } : null,
                ExpiresAt = ExpiryOf(policy, spec),
            });
        }

        var names = new List<string>(clusters);
        names.Sort(StringComparer.Ordinal);
        foreach (var cluster in names)
        {
            if (PickPolicy<FaultInjectionSpec>(cluster, applicable) is not { Document.Spec: FaultInjectionSpec { ForceOpenBreaker: true } forcing } forcer)
            {
                continue;
            }

            if (forcing.Route is not null and not "/" && string.Equals(forcer.Document.Target, service, StringComparison.Ordinal))
            {
                warnings.Add($"policy '{forcer.PolicyId}': route does not narrow force_open_breaker (a breaker is per cluster: every request to it is refused)");
            }

            rules.Add(new FaultRule { Name = forcer.PolicyId, Cluster = cluster, ForceOpenBreaker = true, ExpiresAt = ExpiryOf(forcer, forcing) });
        }

        return rules.ToImmutable();
    }

    private static DateTimeOffset? ExpiryOf(ActivePolicy policy, FaultInjectionSpec spec) =>
        policy.ActivatedAt is { } at ? at.ToUniversalTime().AddSeconds(spec.DurationSeconds) : null;

    /// <summary>Agent id → bus address from every sidecar's agent report; an agent reported by two sidecars goes to the first by service|node (a warning).</summary>
    internal static ImmutableDictionary<string, string> BuildAgentDirectory(IReadOnlyCollection<ServiceEndpoint> endpoints, List<string> warnings)
    {
        var sorted = new List<ServiceEndpoint>();
        foreach (var endpoint in endpoints)
        {
            if (endpoint.BusAddress is not null && endpoint.Agents.Count > 0)
            {
                sorted.Add(endpoint); // only these can name agents: the sort below compares allocated keys
            }
        }

        sorted.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var directory = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var endpoint in sorted)
        {
            if (endpoint.BusAddress is null || !ConfigSnapshotValidator.IsBusAddress(endpoint.BusAddress))
            {
                continue;
            }

            foreach (var agent in endpoint.Agents)
            {
                if (owners.TryGetValue(agent, out var owner))
                {
                    if (directory[agent] != endpoint.BusAddress)
                    {
                        warnings.Add($"agent '{agent}' is reported by sidecars '{owner}' and '{endpoint.Key}'; the directory names '{owner}'");
                    }

                    continue;
                }

                owners[agent] = endpoint.Key;
                directory[agent] = endpoint.BusAddress;
            }
        }

        return directory.ToImmutable();
    }
}
