// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Serialization;

namespace Acgs.Contracts.Health;

/// <summary>Health classification of a score. JSON: <c>HEALTHY</c>, <c>DEGRADED</c>, <c>CRITICAL</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HealthStatus>))]
public enum HealthStatus
{
    /// <summary>Score at least 0.7.</summary>
    [JsonStringEnumMemberName("HEALTHY")]
    Healthy = 0,

    /// <summary>Score at least 0.5 and below 0.7.</summary>
    [JsonStringEnumMemberName("DEGRADED")]
    Degraded = 1,

    /// <summary>Score below 0.5.</summary>
    [JsonStringEnumMemberName("CRITICAL")]
    Critical = 2,
}
