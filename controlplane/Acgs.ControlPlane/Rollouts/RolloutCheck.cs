// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Rollouts;

/// <summary>
/// One analysis check: when, whether it passed, what it saw, and (when it failed) the rollback reason category
/// (<see cref="RolloutReasons"/>) it would report.
/// </summary>
internal sealed record RolloutCheck(DateTimeOffset At, bool Passed, string Detail, string? FailureCategory);
