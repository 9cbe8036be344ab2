// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Rollouts;

/// <summary>The last analysis check in <see cref="RolloutView"/>.</summary>
internal sealed record RolloutCheckView(DateTimeOffset At, bool Passed, string Detail);
