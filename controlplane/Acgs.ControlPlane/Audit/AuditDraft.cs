// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Audit;

/// <summary>An audit entry before the store gives it a sequence number and chains it.</summary>
/// <param name="Timestamp">When the change was made.</param>
/// <param name="Actor">Who made it (<c>admin</c> for the admin token).</param>
/// <param name="Action">What was done: <c>policy.create</c>, <c>policy.version.create</c>, <c>policy.activate</c>.</param>
/// <param name="PolicyId">The policy concerned.</param>
/// <param name="Version">The version concerned, if any.</param>
/// <param name="Detail">Extra facts (content hash, retired version); never secrets.</param>
internal sealed record AuditDraft(DateTimeOffset Timestamp, string Actor, string Action, string PolicyId, string? Version, string? Detail);
