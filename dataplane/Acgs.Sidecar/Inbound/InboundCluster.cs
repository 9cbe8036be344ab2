// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Inbound;

/// <summary>
/// Naming of the inbound route and cluster: every request on the inbound listener goes to the local
/// app (<c>ACGS_APP_HOST</c>:<c>ACGS_APP_PORT</c>) through the cluster <c>inbound|&lt;service&gt;</c>,
/// which has its own breaker, timeout and retry settings (snapshot <c>inbound</c>).
/// </summary>
internal static class InboundCluster
{
    /// <summary>The YARP route id of the inbound catch-all route.</summary>
    public const string RouteId = "inbound";

    /// <summary>Prefix of the inbound cluster id (reserved: snapshots cannot name a cluster like this).</summary>
    public const string Prefix = "inbound|";

    /// <summary>The inbound cluster id for <paramref name="serviceName"/>.</summary>
    public static string IdFor(string serviceName) => Prefix + serviceName;
}
