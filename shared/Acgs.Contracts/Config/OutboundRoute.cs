// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;

namespace Acgs.Contracts.Config;

/// <summary>
/// An outbound route (JSON <c>routes[]</c>): requests whose Host/authority matches (and, with
/// <see cref="PathPrefix"/>, whose path is under it) go to a cluster, or are split between several
/// (<see cref="WeightedClusters"/>, blue/green).
/// </summary>
public sealed record OutboundRoute
{
    /// <summary>
    /// The host to match (JSON <c>host</c>), case-insensitive: <c>svc</c>, <c>svc.ns.svc.cluster.local</c>,
    /// <c>*.example.com</c>; with <c>:port</c> only that port matches, without a port any port does.
    /// </summary>
    public string Host { get; init; } = string.Empty;

    /// <summary>
    /// Only requests whose path is under this prefix (JSON <c>path_prefix</c>), matched by whole segments,
    /// case-insensitively; null or <c>/</c> = every path. The longest matching prefix of a host wins.
    /// </summary>
    public string? PathPrefix { get; init; }

    /// <summary>
    /// Name of the target cluster (JSON <c>cluster</c>); must exist in <c>clusters</c>. With
    /// <see cref="WeightedClusters"/> it must be one of them (the primary, e.g. blue).
    /// </summary>
    public string Cluster { get; init; } = string.Empty;

    /// <summary>
    /// Traffic split (JSON <c>weighted_clusters</c>): each request goes to one of these clusters with
    /// probability weight / sum of weights. Empty = everything to <see cref="Cluster"/>.
    /// </summary>
    public ImmutableArray<WeightedCluster> WeightedClusters { get; init; } = [];
}
