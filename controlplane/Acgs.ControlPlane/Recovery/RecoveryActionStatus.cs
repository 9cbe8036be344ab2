// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Recovery;

/// <summary>The outcome of an operator action on a recovery task.</summary>
internal enum RecoveryActionStatus
{
    /// <summary>Done on an existing task.</summary>
    Updated = 0,

    /// <summary>A new task was queued.</summary>
    Created = 1,

    /// <summary>The service has no active task.</summary>
    NotFound = 2,

    /// <summary>An attempt is running right now; retry the action in a moment.</summary>
    Busy = 3,
}
