// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Acgs.Contracts.Health;

/// <summary>What a sidecar reports to the control plane every few seconds (docs/control-plane.md).</summary>
/// <param name="NodeId">The reporting sidecar's node id (JSON <c>node_id</c>).</param>
/// <param name="Service">The service the sidecar runs next to (JSON <c>service</c>).</param>
/// <param name="Timestamp">When the report was made (JSON <c>timestamp</c>, ISO 8601).</param>
/// <param name="ReportIntervalSeconds">Seconds between two reports; a sidecar silent for 3 intervals counts as open. Default 5.</param>
/// <param name="Clusters">Breaker state per upstream cluster, the inbound (local app) cluster included.</param>
/// <param name="Metrics">Golden metrics over the last interval, or <see langword="null"/> when not measured.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record HealthReport(
    string NodeId = "",
    string Service = "",
    DateTimeOffset Timestamp = default,
    double ReportIntervalSeconds = 5,
    ImmutableArray<ClusterHealth> Clusters = default,
    GoldenMetrics? Metrics = null)
{
    /// <summary>Breaker state per upstream cluster, the inbound (local app) cluster included.</summary>
    public ImmutableArray<ClusterHealth> Clusters { get; init => field = value.IsDefault ? [] : value; } = Clusters.IsDefault ? [] : Clusters;
}
