// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.HealthAggregation;

/// <summary><c>GET /api/v1/health/mesh</c>: the score over every node of every service and the last 5 minutes of mesh status changes.</summary>
internal sealed record MeshHealthView(
    string Status,
    double Score,
    long Closed,
    long HalfOpen,
    long Open,
    long Total,
    int Services,
    int Nodes,
    int SilentNodes,
    IReadOnlyList<HealthChangeView> History);
