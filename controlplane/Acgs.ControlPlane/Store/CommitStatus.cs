// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Audit;

namespace Acgs.ControlPlane.Store;

/// <summary>Outcome of <see cref="IPolicyStore.CommitAsync(PolicyRecord?, PolicyRecord, AuditDraft, bool, CancellationToken)"/>.</summary>
internal enum CommitStatus
{
    /// <summary>The policy was replaced and the audit entry appended, together.</summary>
    Committed = 0,

    /// <summary>Someone else changed the policy or the audit log first: nothing was written; read again and retry.</summary>
    Conflict = 1,

    /// <summary>A chaos emergency stop is engaged and the commit asked to be refused then: nothing was written.</summary>
    EmergencyStop = 2,
}
