// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.Config;

/// <summary>An outbound route (JSON <c>routes[]</c>): requests whose Host/authority matches go to a cluster.</summary>
public sealed record OutboundRoute
{
    /// <summary>
    /// The host to match (JSON <c>host</c>), case-insensitive: <c>svc</c>, <c>svc.ns.svc.cluster.local</c>,
    /// <c>*.example.com</c>; with <c>:port</c> only that port matches, without a port any port does.
    /// </summary>
    public string Host { get; init; } = string.Empty;

    /// <summary>Name of the target cluster (JSON <c>cluster</c>); must exist in <c>clusters</c>.</summary>
    public string Cluster { get; init; } = string.Empty;
}
