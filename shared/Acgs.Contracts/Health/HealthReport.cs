// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.CircuitBreaker;

namespace Acgs.Contracts.Health;

/// <summary>
/// What a sidecar reports to the control plane every report interval: <c>PUT</c>
/// <see cref="ControlPlane.ControlPlaneRoutes.NodeHealth"/> with
/// <c>{"clusters":[{"name":"orders","state":"closed|half_open|open"}],"requests_total":10,"errors_total":1,"golden":{...}}</c>
/// (the totals and the golden metrics are optional: a report without them stays valid). Checked by <see cref="HealthReportValidator"/>; unknown fields are ignored, so a newer
/// sidecar may add some. Serialized through <see cref="Serialization.AcgsJsonContext"/>.
/// </summary>
/// <param name="Clusters">The breaker of every upstream cluster (JSON <c>clusters</c>, required; <c>[]</c> for none).</param>
/// <param name="RequestsTotal">Requests handled so far, or null when not measured (JSON <c>requests_total</c>).</param>
/// <param name="ErrorsTotal">Failed requests so far, or null (JSON <c>errors_total</c>).</param>
/// <param name="Golden">Request count, errors and latency per edge over the last window, or null (JSON <c>golden</c>).</param>
public sealed record HealthReport(IReadOnlyList<ClusterHealth?>? Clusters, long? RequestsTotal = null, long? ErrorsTotal = null, GoldenMetrics? Golden = null)
{
    /// <summary>The report of <paramref name="breakers"/> (name and state of each), without totals.</summary>
    public static HealthReport Of(IReadOnlyList<CircuitBreaker> breakers)
    {
        ArgumentNullException.ThrowIfNull(breakers);
        var clusters = new ClusterHealth?[breakers.Count];
        for (var i = 0; i < clusters.Length; i++)
        {
            clusters[i] = ClusterHealth.Of(breakers[i].Name, breakers[i].State);
        }

        return new HealthReport(clusters);
    }
}
