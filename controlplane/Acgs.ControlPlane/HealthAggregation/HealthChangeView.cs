// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Health;

namespace Acgs.ControlPlane.HealthAggregation;

/// <summary>A history entry in the JSON views.</summary>
internal sealed record HealthChangeView(string? Previous, string Current, double Score, DateTimeOffset At)
{
    /// <summary>The view of <paramref name="change"/>.</summary>
    public static HealthChangeView From(HealthStatusChange change) => new(
        change.Previous is { } previous ? HealthScore.Name(previous) : null, HealthScore.Name(change.Current), change.Score, change.At);
}
