// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.Config;

/// <summary>
/// Remembers what <see cref="ConfigSnapshotValidator"/> found for parts that many snapshots share by reference
/// (the same <see cref="ClusterConfig"/> under the same name, the same agent directory, the same trust-anchor PEM),
/// so a control plane compiling one snapshot per service validates each shared part once. The result is the
/// same as without the memo: parts are immutable and their errors depend only on them (and a cluster's name).
/// Not thread-safe: one memo per compilation pass. It grows with every part it sees, so it is not kept across
/// passes; a sidecar, which validates one snapshot after another, keeps a <see cref="TrustAnchorMemo"/> instead.
/// </summary>
public sealed class ConfigValidationMemo
{
    private readonly Dictionary<ClusterConfig, (string Name, string[] Errors)> _clusters = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<object, string[]> _parts = new(ReferenceEqualityComparer.Instance);

    /// <summary>The pass's trust anchors: the snapshots of one pass carry the same bundle, so each anchor is parsed once.</summary>
    internal TrustAnchorMemo Anchors { get; } = new();

    internal bool TryGetCluster(string name, ClusterConfig cluster, out string[] errors)
    {
        if (_clusters.TryGetValue(cluster, out var known) && string.Equals(known.Name, name, StringComparison.Ordinal))
        {
            errors = known.Errors;
            return true;
        }

        errors = [];
        return false;
    }

    internal void AddCluster(string name, ClusterConfig cluster, string[] errors) => _clusters[cluster] = (name, errors);

    internal bool TryGetPart(object part, out string[] errors) => _parts.TryGetValue(part, out errors!);

    internal void AddPart(object part, string[] errors) => _parts[part] = errors;
}
