// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Audit;

namespace Acgs.ControlPlane.Api;

/// <summary>Body of <c>GET /api/v1/audit</c>: whether the chain verifies, and the entries.</summary>
internal sealed record AuditView(bool ChainValid, int Count, long? FirstInvalidSequence, string? Reason, IReadOnlyList<AuditEntry> Entries);
