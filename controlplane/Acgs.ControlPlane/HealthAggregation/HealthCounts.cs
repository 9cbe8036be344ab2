// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Health;

namespace Acgs.ControlPlane.HealthAggregation;

/// <summary>
/// Breaker counts summed over nodes and the observed success-rate factor (<see cref="HealthScore.SuccessFactor"/>, 1.0 without
/// traffic), with the score (breakers × success factor) and status they give.
/// </summary>
internal sealed record HealthCounts(long Closed, long HalfOpen, long Open, double SuccessFactor = 1.0)
{
    /// <summary>All breakers.</summary>
    public long Total => Closed + HalfOpen + Open;

    /// <summary><see cref="HealthScore.Compute(long, long, long)"/> × <see cref="SuccessFactor"/>.</summary>
    public double Score => HealthScore.Compute(Closed, HalfOpen, Open) * SuccessFactor;

    /// <summary>See <see cref="HealthScore.Classify"/>.</summary>
    public HealthStatus Status => HealthScore.Classify(Score);
}
