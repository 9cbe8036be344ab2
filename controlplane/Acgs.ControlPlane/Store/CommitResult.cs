// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Audit;

namespace Acgs.ControlPlane.Store;

/// <summary>What a commit did: the appended audit entry and the store's new global revision when committed.</summary>
internal sealed record CommitResult(CommitStatus Status, AuditEntry? Entry, long Revision)
{
    /// <summary>The shared "nothing written" result.</summary>
    public static CommitResult Conflict { get; } = new(CommitStatus.Conflict, null, 0);

    /// <summary>The shared "refused: emergency stop engaged" result.</summary>
    public static CommitResult Stopped { get; } = new(CommitStatus.EmergencyStop, null, 0);
}
