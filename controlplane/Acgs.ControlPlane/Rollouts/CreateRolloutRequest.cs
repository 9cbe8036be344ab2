// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Serialization;

namespace Acgs.ControlPlane.Rollouts;

/// <summary>
/// Body of <c>POST /api/v1/rollouts</c> (snake_case JSON; unknown fields are refused):
/// <code>{"service":"checkout","blue_cluster":"checkout","green_cluster":"checkout-v2","steps":[{"weight":10,"pause_seconds":60},{"weight":50},{"weight":100}],"analysis":{"min_health_score":0.8}}</code>
/// or <c>"strategy":"blue_green"</c> with <c>pre_promotion_seconds</c>, <c>post_promotion_seconds</c> and <c>auto_promote</c> instead of steps.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record CreateRolloutRequest(
    string? Service = null,
    string? BlueCluster = null,
    string? GreenCluster = null,
    string? Strategy = null,
    IReadOnlyList<RolloutStepRequest?>? Steps = null,
    double? PrePromotionSeconds = null,
    double? PostPromotionSeconds = null,
    bool? AutoPromote = null,
    RolloutAnalysisRequest? Analysis = null);
