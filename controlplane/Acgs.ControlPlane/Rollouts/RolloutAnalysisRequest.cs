// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Serialization;

namespace Acgs.ControlPlane.Rollouts;

/// <summary>
/// The analysis of a rollout, every field optional (defaults from <see cref="RolloutOptions"/>):
/// <c>{"interval_seconds":10,"min_health_score":0.7,"services":["checkout","checkout-v2"],"failure_limit":2,"require_health_data":true,"green_breaker":true}</c>.
/// <c>services</c> defaults to the rolled-out service and the green cluster.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record RolloutAnalysisRequest(
    double? IntervalSeconds = null,
    double? MinHealthScore = null,
    IReadOnlyList<string?>? Services = null,
    int? FailureLimit = null,
    bool? RequireHealthData = null,
    bool? GreenBreaker = null);
