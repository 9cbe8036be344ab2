// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.CircuitBreaker;

namespace Acgs.Contracts.Health;

/// <summary>
/// The 0.0–1.0 health score (docs/control-plane.md): (closed + 0.5·half_open) / total, 1.0 with no breakers;
/// HEALTHY at or above 0.7, DEGRADED at or above 0.5, else CRITICAL.
/// </summary>
public static class HealthScore
{
    /// <summary>Lowest score classified <see cref="HealthStatus.Healthy"/>.</summary>
    public const double HealthyThreshold = 0.7;

    /// <summary>Lowest score classified <see cref="HealthStatus.Degraded"/>.</summary>
    public const double DegradedThreshold = 0.5;

    /// <summary>The score of the given breaker counts.</summary>
    public static double Compute(int closed, int halfOpen, int open)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(closed);
        ArgumentOutOfRangeException.ThrowIfNegative(halfOpen);
        ArgumentOutOfRangeException.ThrowIfNegative(open);
        var total = (long)closed + halfOpen + open;
        return total == 0 ? 1.0 : (closed + (0.5 * halfOpen)) / total;
    }

    /// <summary>The score of the given breaker states.</summary>
    public static double Compute(ReadOnlySpan<CircuitState> states)
    {
        int closed = 0, halfOpen = 0, open = 0;
        foreach (var state in states)
        {
            switch (state)
            {
                case CircuitState.Closed:
                    closed++;
                    break;
                case CircuitState.HalfOpen:
                    halfOpen++;
                    break;
                default:
                    open++;
                    break;
            }
        }

        return Compute(closed, halfOpen, open);
    }

    /// <summary>The score of one report's clusters.</summary>
    public static double Compute(HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        int closed = 0, halfOpen = 0, open = 0;
        foreach (var cluster in report.Clusters)
        {
            switch (cluster.State)
            {
                case CircuitState.Closed:
                    closed++;
                    break;
                case CircuitState.HalfOpen:
                    halfOpen++;
                    break;
                default:
                    open++;
                    break;
            }
        }

        return Compute(closed, halfOpen, open);
    }

    /// <summary>HEALTHY (≥ 0.7), DEGRADED (≥ 0.5) or CRITICAL.</summary>
    public static HealthStatus Classify(double score) => score switch
    {
        >= HealthyThreshold => HealthStatus.Healthy,
        >= DegradedThreshold => HealthStatus.Degraded,
        _ => HealthStatus.Critical,
    };
}
