// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Policies;

namespace Acgs.ControlPlane.Compiler;

/// <summary>
/// When a service's snapshot does not compile (typically after a topology change: a Route policy's cluster lost its last
/// sidecar), finds the active policies whose removal makes it compile. Deterministic and greedy: in policy-id order, each
/// applicable policy that is not mesh-critical is left out when that lowers the error count, until the snapshot compiles;
/// then each left-out policy is put back if the snapshot still compiles with it, so the set is minimal. The result is the
/// snapshot without them, listing each with the errors it causes. Mesh-critical policies (HashPolicy, MutualTls,
/// Authorization: the mesh's security posture) are never left out. Conflicts between active policies are not resolved here (they
/// fail every service alike and activation refuses them; leaving one side out would be arbitrary). Without a set the failed
/// result is returned unchanged.
/// </summary>
internal static class QuarantineResolver
{
    /// <summary>True for policies whose removal would weaken the mesh's security: they are never quarantined.</summary>
    public static bool IsMeshCritical(ActivePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy.Document.Spec is HashPolicySpec or MutualTlsSpec or AuthorizationSpec;
    }

    /// <summary><paramref name="failed"/> if it compiled, the policies conflict, or nothing left out makes it compile; else the snapshot without the quarantined policies.</summary>
    public static CompileResult Resolve(string service, CompilationInputs inputs, long revision, CompileResult failed)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(failed);
        if (failed.Snapshot is not null || inputs.Conflicts.Count > 0)
        {
            return failed;
        }

        var candidates = new List<ActivePolicy>();
        foreach (var policy in inputs.ApplicableTo(service))
        {
            if (!IsMeshCritical(policy))
            {
                candidates.Add(policy);
            }
        }

        candidates.Sort(static (a, b) => string.CompareOrdinal(a.PolicyId, b.PolicyId));
        var left = new List<ActivePolicy>();
        var current = failed;
        foreach (var candidate in candidates)
        {
            var trial = CompileWithout(service, inputs, revision, [.. left, candidate]);
            if (trial.Snapshot is not null || trial.Errors.Count < current.Errors.Count)
            {
                left.Add(candidate);
                current = trial;
                if (trial.Snapshot is not null)
                {
                    break;
                }
            }
        }

        if (current.Snapshot is null)
        {
            return failed;
        }

        for (var i = 0; i < left.Count; i++)
        {
            var without = new List<ActivePolicy>(left);
            without.RemoveAt(i);
            var trial = CompileWithout(service, inputs, revision, without);
            if (trial.Snapshot is not null)
            {
                left = without;
                current = trial;
                i--;
            }
        }

        var quarantined = new List<QuarantinedPolicy>(left.Count);
        foreach (var policy in left)
        {
            var others = new List<ActivePolicy>(left);
            others.Remove(policy);
            var errors = left.Count == 1 ? failed.Errors : CompileWithout(service, inputs, revision, others).Errors;
            quarantined.Add(new QuarantinedPolicy(policy.PolicyId, policy.Version, errors));
        }

        return current with { Quarantined = quarantined };
    }

    private static CompileResult CompileWithout(string service, CompilationInputs inputs, long revision, List<ActivePolicy> leftOut)
    {
        var policies = new List<ActivePolicy>(inputs.Policies.Count);
        foreach (var policy in inputs.Policies)
        {
            if (!leftOut.Contains(policy))
            {
                policies.Add(policy);
            }
        }

        var reduced = CompilationInputs.Prepare(policies, inputs.Endpoints, inputs.Accepted, inputs.TrustBundle, inputs.TrustDomain);
        return SnapshotCompiler.Compile(service, reduced, revision);
    }
}
