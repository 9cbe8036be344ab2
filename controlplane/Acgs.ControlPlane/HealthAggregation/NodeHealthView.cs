// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.HealthAggregation;

/// <summary>One sidecar's last report as the aggregator counts it (a silent node counts every breaker as open).</summary>
internal sealed record NodeHealthView(
    string Node,
    bool Silent,
    int Closed,
    int HalfOpen,
    int Open,
    DateTimeOffset LastReportAt,
    long? RequestsTotal,
    long? ErrorsTotal)
{
    /// <summary>
    /// The sidecar's config state on this replica: <c>in_sync</c> (ACKed the latest snapshot), <c>stale</c> (ACKed an older one or
    /// none yet), <c>nacked</c> (refused the latest), or null when it does not watch this replica.
    /// </summary>
    public string? Config { get; init; }

    /// <summary>The version it last ACKed (null: none, or it does not watch this replica).</summary>
    public string? AckedVersion { get; init; }
}
