// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Serialization;

namespace Acgs.ControlPlane.Rollouts;

/// <summary>
/// One step of a canary rollout: <c>{"weight":10,"pause_seconds":60}</c>. Without <c>pause_seconds</c> the step holds for the
/// default pause (<c>ACGS_ROLLOUT_STEP_PAUSE_SECONDS</c>); <c>"wait_for_resume":true</c> holds until resumed or promoted.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record RolloutStepRequest(int? Weight = null, double? PauseSeconds = null, bool? WaitForResume = null);
