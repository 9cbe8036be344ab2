// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.HealthAggregation;

/// <summary>
/// <c>GET /api/v1/health/mesh</c>: the score over every node of every service (breakers × the lowest service success factor), the
/// last 5 minutes of mesh status changes, the mesh-wide success rate and inbound rps, and every service-to-service edge.
/// </summary>
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
    IReadOnlyList<HealthChangeView> History)
{
    /// <summary>1 − 5xx / requests over every node's last window; null without traffic.</summary>
    public double? SuccessRate { get; init; }

    /// <summary>The lowest service success factor, which the score was multiplied by.</summary>
    public double SuccessFactor { get; init; } = 1.0;

    /// <summary>Inbound requests per second over the mesh.</summary>
    public double Rps { get; init; }

    /// <summary>Every edge.</summary>
    public IReadOnlyList<EdgeView> Edges { get; init; } = [];

    /// <summary>Services whose sidecars do not run their latest compiled configuration (config state other than in_sync).</summary>
    public IReadOnlyList<string> ConfigStalled { get; init; } = [];
}
