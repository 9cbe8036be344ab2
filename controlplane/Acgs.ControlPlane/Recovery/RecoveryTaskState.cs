// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Recovery;

/// <summary>Where a recovery task is. Pending and AwaitingOperator are active; the others are finished (history).</summary>
internal enum RecoveryTaskState
{
    /// <summary>Queued; the next attempt runs at <see cref="RecoveryTask.NextAttemptAt"/>.</summary>
    Pending = 0,

    /// <summary>A manual task (or one whose attempts ran out under the manual strategy) waits for an operator's retry.</summary>
    AwaitingOperator = 1,

    /// <summary>An attempt found the service healthy and its breakers were reset mesh-wide.</summary>
    Succeeded = 2,

    /// <summary>Every attempt failed (non-manual strategies).</summary>
    Failed = 3,

    /// <summary>An operator cancelled it.</summary>
    Cancelled = 4,
}
