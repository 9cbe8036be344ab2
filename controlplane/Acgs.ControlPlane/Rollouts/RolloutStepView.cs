// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Rollouts;

/// <summary>A step in <see cref="RolloutView"/>: the green weight and the pause (null with <c>wait_for_resume</c>).</summary>
internal sealed record RolloutStepView(int Weight, double? PauseSeconds, bool WaitForResume);
