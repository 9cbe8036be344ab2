// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Recovery;

/// <summary>Which health status change queues a recovery task (<c>ACGS_RECOVERY_TRIGGER</c>).</summary>
internal enum RecoveryTrigger
{
    /// <summary>Only a change to CRITICAL (score below 0.5): the default.</summary>
    Critical = 0,

    /// <summary>A change to DEGRADED or CRITICAL (score below 0.7).</summary>
    Degraded = 1,
}
