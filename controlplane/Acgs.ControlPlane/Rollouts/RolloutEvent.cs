// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Rollouts;

/// <summary>Something that happened to a rollout (kept with it, newest last): <c>created</c>, <c>step</c>, <c>paused</c>, <c>resumed</c>, <c>check_failed</c>, <c>promoted</c>, <c>succeeded</c>, <c>rolled_back</c>, <c>push_failed</c>.</summary>
internal sealed record RolloutEvent(DateTimeOffset At, string Type, int GreenWeight, string Message);
