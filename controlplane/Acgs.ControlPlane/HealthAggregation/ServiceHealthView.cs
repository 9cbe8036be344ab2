// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.HealthAggregation;

/// <summary><c>GET /api/v1/health/services/{service}</c>: the service's score over all its nodes, the nodes and the last 5 minutes of status changes.</summary>
internal sealed record ServiceHealthView(
    string Service,
    string Status,
    double Score,
    long Closed,
    long HalfOpen,
    long Open,
    long Total,
    IReadOnlyList<NodeHealthView> Nodes,
    IReadOnlyList<HealthChangeView> History);
