// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Rollouts;

/// <summary>One step: send <paramref name="Weight"/> % of the traffic to green, then hold for <paramref name="Pause"/> (null = until resumed or promoted).</summary>
internal sealed record RolloutStep(int Weight, TimeSpan? Pause);
