// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.HealthAggregation;

/// <summary>
/// <c>GET /api/v1/health/services/{service}</c>: the service's score over all its nodes, the nodes and the last 5 minutes of status
/// changes; the golden metrics of the nodes' last reports (<see cref="SuccessRate"/> over every request they handled, inbound
/// <see cref="Rps"/> and worst inbound <see cref="P99Ms"/>, the <see cref="Edges"/> in and out) and, when its sidecars watch this
/// replica, their <see cref="Config"/> state.
/// </summary>
internal sealed record ServiceHealthView(
    string Service,
    string Status,
    double Score,
    long Closed,
    long HalfOpen,
    long Open,
    long Total,
    IReadOnlyList<NodeHealthView> Nodes,
    IReadOnlyList<HealthChangeView> History)
{
    /// <summary>1 − 5xx / requests over both directions in the nodes' last windows; null without traffic.</summary>
    public double? SuccessRate { get; init; }

    /// <summary>The factor the score was multiplied by (<see cref="Acgs.Contracts.Health.HealthScore.SuccessFactor"/>).</summary>
    public double SuccessFactor { get; init; } = 1.0;

    /// <summary>Inbound requests per second (the nodes' last windows summed).</summary>
    public double Rps { get; init; }

    /// <summary>The worst node's inbound p99 in milliseconds; null without inbound traffic.</summary>
    public double? P99Ms { get; init; }

    /// <summary>The edges from and to this service.</summary>
    public IReadOnlyList<EdgeView> Edges { get; init; } = [];

    /// <summary>Whether the sidecars run the latest compiled configuration (null: none watches this replica).</summary>
    public Distribution.ServiceConfigView? Config { get; init; }
}
