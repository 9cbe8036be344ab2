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
    long? ErrorsTotal);
