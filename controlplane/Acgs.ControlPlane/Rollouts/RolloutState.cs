// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Rollouts;

/// <summary>What <see cref="RolloutStateFile"/> keeps: the id sequence and every rollout held, oldest first.</summary>
internal sealed record RolloutState(long Sequence, IReadOnlyList<Rollout> Rollouts);
