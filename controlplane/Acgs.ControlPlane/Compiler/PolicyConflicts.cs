// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Policies;

namespace Acgs.ControlPlane.Compiler;

/// <summary>
/// Conflicts between active policies: two policies of the same kind on the same target (the same
/// specificity, so neither wins), or two routes at the same specificity sending one host and path prefix
/// to different clusters. A service-targeted policy over a mesh-wide one is not a conflict: the more specific wins.
/// </summary>
internal static class PolicyConflicts
{
    /// <summary>Every conflict among <paramref name="policies"/>.</summary>
    public static List<string> Find(IReadOnlyList<ActivePolicy> policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        var errors = new List<string>();
        var seen = new Dictionary<(string Kind, string Target), string>();
        var hosts = new Dictionary<(string Target, string Host, string Prefix), (string Policy, string Cluster)>();
        foreach (var policy in policies)
        {
            var document = policy.Document;
            if (document.Spec is RouteSpec route)
            {
                foreach (var host in route.Hosts)
                {
                    var key = (document.Target, host.ToUpperInvariant(), SnapshotCompiler.PrefixKey(route.PathPrefix));
                    if (hosts.TryGetValue(key, out var other) && !string.Equals(other.Cluster, route.Cluster, StringComparison.Ordinal))
                    {
                        var where = route.PathPrefix is "/" ? $"host '{host}'" : $"host '{host}' path prefix '{route.PathPrefix}'";
                        errors.Add($"conflict: policies '{other.Policy}' and '{policy.PolicyId}' both route {where} for target '{document.Target}' (to '{other.Cluster}' and '{route.Cluster}')");
                    }
                    else
                    {
                        hosts[key] = (policy.PolicyId, route.Cluster);
                    }
                }

                continue;
            }

            if (!seen.TryAdd((document.Kind, document.Target), policy.PolicyId))
            {
                errors.Add($"conflict: policies '{seen[(document.Kind, document.Target)]}' and '{policy.PolicyId}' are both {document.Kind} policies for target '{document.Target}'");
            }
        }

        return errors;
    }
}
