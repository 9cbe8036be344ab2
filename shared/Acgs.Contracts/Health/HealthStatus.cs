// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Serialization;

namespace Acgs.Contracts.Health;

/// <summary>
/// Health classification of a score (<see cref="HealthScore.Classify"/>). JSON: <c>healthy</c>, <c>degraded</c>, <c>critical</c>
/// (<see cref="HealthScore.Name"/>); the numeric values are the control plane's <c>acgs_controlplane_*_health_status</c> gauges.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<HealthStatus>))]
public enum HealthStatus
{
    /// <summary>Score at least 0.7.</summary>
    [JsonStringEnumMemberName("healthy")]
    Healthy = 0,

    /// <summary>Score at least 0.5 and below 0.7.</summary>
    [JsonStringEnumMemberName("degraded")]
    Degraded = 1,

    /// <summary>Score below 0.5.</summary>
    [JsonStringEnumMemberName("critical")]
    Critical = 2,
}
