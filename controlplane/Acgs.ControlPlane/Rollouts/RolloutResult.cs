// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Rollouts;

/// <summary>What a rollout operation produced: an outcome, the rollout after it, every error, and whether it changed anything.</summary>
internal sealed record RolloutResult(RolloutOutcome Outcome, Rollout? Rollout, IReadOnlyList<string> Errors, bool Changed)
{
    /// <summary>A failure.</summary>
    public static RolloutResult Fail(RolloutOutcome outcome, params string[] errors) => new(outcome, null, errors, false);

    /// <summary>A success.</summary>
    public static RolloutResult Success(RolloutOutcome outcome, Rollout rollout, bool changed = true) => new(outcome, rollout, [], changed);
}
