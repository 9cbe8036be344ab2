// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.HealthAggregation;

/// <summary>One breaker in a health report: <c>{"name":"orders","state":"closed|open|half_open"}</c>.</summary>
internal sealed record ClusterStateReport(string? Name, string? State);
