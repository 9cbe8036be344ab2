// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Health;

namespace Acgs.ControlPlane.HealthAggregation;

/// <summary>Breaker counts summed over nodes, with the score and status they give.</summary>
internal sealed record HealthCounts(long Closed, long HalfOpen, long Open)
{
    /// <summary>All breakers.</summary>
    public long Total => Closed + HalfOpen + Open;

    /// <summary>See <see cref="HealthScore.Compute(long, long, long)"/>.</summary>
    public double Score => HealthScore.Compute(Closed, HalfOpen, Open);

    /// <summary>See <see cref="HealthScore.Classify"/>.</summary>
    public HealthStatus Status => HealthScore.Classify(Score);
}
