// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Store;

/// <summary>Outcome of <see cref="IPolicyStore.CommitAsync"/>.</summary>
internal enum CommitStatus
{
    /// <summary>The policy was replaced and the audit entry appended, together.</summary>
    Committed = 0,

    /// <summary>Someone else changed the policy or the audit log first: nothing was written; read again and retry.</summary>
    Conflict = 1,
}
