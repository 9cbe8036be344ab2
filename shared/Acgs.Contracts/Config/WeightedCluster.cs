// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.Config;

/// <summary>One share of a traffic split (JSON <c>routes[].weighted_clusters[]</c>): a cluster and its integer weight.</summary>
public sealed record WeightedCluster
{
    /// <summary>Name of the cluster (JSON <c>cluster</c>); must exist in <c>clusters</c>.</summary>
    public string Cluster { get; init; } = string.Empty;

    /// <summary>
    /// Relative weight (JSON <c>weight</c>), 0–<see cref="ConfigSnapshotValidator.MaxWeight"/>. A request goes
    /// to this cluster with probability weight / (sum of the route's weights); 0 sends it nothing.
    /// </summary>
    public int Weight { get; init; }
}
