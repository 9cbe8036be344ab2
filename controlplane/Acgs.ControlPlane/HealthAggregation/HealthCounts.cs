// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.HealthAggregation;

/// <summary>Breaker counts summed over nodes, with the score and status they give.</summary>
internal sealed record HealthCounts(long Closed, long HalfOpen, long Open)
{
    /// <summary>All breakers.</summary>
    public long Total => Closed + HalfOpen + Open;

    /// <summary>See <see cref="HealthScore.Compute"/>.</summary>
    public double Score => HealthScore.Compute(Closed, HalfOpen, Total);

    /// <summary>See <see cref="HealthScore.StatusOf"/>.</summary>
    public HealthStatus Status => HealthScore.StatusOf(Score);
}
