// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using Acgs.Contracts.Authorization;
using Acgs.Contracts.Config;
using Acgs.Contracts.Policies;

namespace Acgs.ControlPlane.Compiler;

internal static partial class SnapshotCompiler
{
    /// <summary>
    /// <c>authorization</c>: every Authorization policy targeting <paramref name="service"/> or the mesh (they combine,
    /// as Istio's do: deny rules of any of them first, then the allow rules of all of them), in name order, and the mesh's
    /// <c>default_action</c>. Left out (null) when there is no rule and the default is allow.
    /// </summary>
    private static ConfigSnapshot WithAuthorization(ConfigSnapshot snapshot, string service, List<ActivePolicy> policies)
    {
        var compiled = new List<AuthorizationPolicyConfig>();
        var defaultAction = AuthorizationAction.Allow;
        var defaultEnforce = true;
        foreach (var policy in policies)
        {
            var document = policy.Document;
            if (document.Spec is not AuthorizationSpec spec || (!document.IsMeshWide && !string.Equals(document.Target, service, StringComparison.Ordinal)))
            {
                continue;
            }

            if (document.IsMeshWide && spec.DefaultAction is { } fallback)
            {
                defaultAction = fallback;
                defaultEnforce = spec.Enforce;
            }

            if (!spec.Rules.IsEmpty)
            {
                compiled.Add(new AuthorizationPolicyConfig { Name = document.Name, Action = spec.Action, Enforce = spec.Enforce, Rules = spec.Rules });
            }
        }

        if (compiled.Count == 0 && defaultAction == AuthorizationAction.Allow)
        {
            return snapshot;
        }

        compiled.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return snapshot with
        {
            Authorization = new AuthorizationConfig
            {
                DefaultAction = defaultAction,
                DefaultActionEnforce = defaultEnforce,
                Policies = [.. compiled],
            },
        };
    }
}
