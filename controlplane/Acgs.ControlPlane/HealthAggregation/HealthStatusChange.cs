// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Health;

namespace Acgs.ControlPlane.HealthAggregation;

/// <summary>A status change of one service, or of the mesh (<see cref="Service"/> null). <see cref="Previous"/> is null on a service's first report.</summary>
internal sealed record HealthStatusChange(string? Service, HealthStatus? Previous, HealthStatus Current, double Score, DateTimeOffset At);
