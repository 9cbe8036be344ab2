// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.HealthAggregation;

/// <summary>Aggregated health; the numeric values are the <c>acgs_controlplane_*_health_status</c> gauges.</summary>
internal enum HealthStatus
{
    /// <summary>Score at least 0.7.</summary>
    Healthy = 0,

    /// <summary>Score at least 0.5 and below 0.7.</summary>
    Degraded = 1,

    /// <summary>Score below 0.5.</summary>
    Critical = 2,
}
