// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Rollouts;

/// <summary>A decided rollback whose config write failed: why, the metric reason category, and who decided it.</summary>
internal sealed record RolloutPendingRollback(string Reason, string Category, string Actor);
