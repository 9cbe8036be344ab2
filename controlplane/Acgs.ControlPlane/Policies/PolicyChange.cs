// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Policies;

/// <summary>A committed registry change (what the distribution layer reacts to).</summary>
/// <param name="Revision">The store's global revision after the commit.</param>
/// <param name="PolicyId">The policy changed.</param>
/// <param name="Action">The audit action (<c>policy.activate</c>, ...).</param>
/// <param name="At">When it was committed.</param>
internal sealed record PolicyChange(long Revision, string PolicyId, string Action, DateTimeOffset At);
