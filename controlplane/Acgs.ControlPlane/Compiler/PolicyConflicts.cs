// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Policies;

namespace Acgs.ControlPlane.Compiler;

/// <summary>
/// Conflicts between active policies: two policies of the same kind on the same target (the same
/// specificity, so neither wins), or two routes at the same specificity sending one host and path prefix
/// to different clusters; Authorization policies combine and only conflict by name or over the mesh's default action.
/// A service-targeted policy over a mesh-wide one is not a conflict: the more specific wins.
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

            if (document.Spec is AuthorizationSpec authorization)
            {
                AuthorizationConflicts(policy, authorization, seen, errors);
                continue;
            }

            if (!seen.TryAdd((document.Kind, document.Target), policy.PolicyId))
            {
                errors.Add($"conflict: policies '{seen[(document.Kind, document.Target)]}' and '{policy.PolicyId}' are both {document.Kind} policies for target '{document.Target}'");
            }
        }

        return errors;
    }

    /// <summary>
    /// Authorization policies combine (any number per target), but their names must differ (a denial names
    /// <c>&lt;name&gt;#&lt;rule&gt;</c>) and only one mesh-wide policy may set <c>default_action</c>.
    /// </summary>
    private static void AuthorizationConflicts(ActivePolicy policy, AuthorizationSpec spec, Dictionary<(string Kind, string Target), string> seen, List<string> errors)
    {
        var document = policy.Document;
        if (!seen.TryAdd(("Authorization#name", document.Name), policy.PolicyId))
        {
            errors.Add($"conflict: policies '{seen[("Authorization#name", document.Name)]}' and '{policy.PolicyId}' are both Authorization policies named '{document.Name}'");
        }

        if (spec.DefaultAction is not null && !seen.TryAdd(("Authorization#default", document.Target), policy.PolicyId))
        {
            errors.Add($"conflict: policies '{seen[("Authorization#default", document.Target)]}' and '{policy.PolicyId}' both set the mesh's default_action");
        }
    }
}
