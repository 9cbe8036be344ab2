// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Recovery;

/// <summary>An operator action's outcome and the task afterwards (null when <see cref="RecoveryActionStatus.NotFound"/>).</summary>
internal readonly record struct RecoveryActionResult(RecoveryActionStatus Status, RecoveryTaskView? Task);
