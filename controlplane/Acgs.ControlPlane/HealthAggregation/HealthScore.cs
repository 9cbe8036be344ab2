// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.HealthAggregation;

/// <summary>The mesh health score (docs/control-plane.md): (closed + 0.5·half_open) / total, 1.0 with no breakers; HEALTHY ≥ 0.7, DEGRADED ≥ 0.5, else CRITICAL.</summary>
internal static class HealthScore
{
    /// <summary>Lowest healthy score.</summary>
    public const double HealthyThreshold = 0.7;

    /// <summary>Lowest degraded score.</summary>
    public const double DegradedThreshold = 0.5;

    /// <summary>The score of <paramref name="closed"/> closed and <paramref name="halfOpen"/> half-open breakers out of <paramref name="total"/>.</summary>
    public static double Compute(long closed, long halfOpen, long total) => total <= 0 ? 1.0 : (closed + (0.5 * halfOpen)) / total;

    /// <summary>The status of a score.</summary>
    public static HealthStatus StatusOf(double score) => score >= HealthyThreshold ? HealthStatus.Healthy
        : score >= DegradedThreshold ? HealthStatus.Degraded
        : HealthStatus.Critical;

    /// <summary>The status's JSON name.</summary>
    public static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "critical",
    };
}
