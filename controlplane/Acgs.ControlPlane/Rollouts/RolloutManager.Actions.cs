// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Policies;

namespace Acgs.ControlPlane.Rollouts;

/// <summary>The operator actions of <see cref="RolloutManager"/>: promote, pause, resume, abort.</summary>
internal sealed partial class RolloutManager
{
    /// <summary>Skips the remaining steps and analysis: 100 % to green, succeeded.</summary>
    public Task<RolloutResult> PromoteAsync(string id, string actor, CancellationToken cancellationToken) =>
        ActAsync(id, async rollout =>
        {
            var now = _time.GetUtcNow();
            var write = await _writer.WriteAsync(rollout, 100, actor, Note(rollout, rollout.StepIndex, "promoted by " + actor), force: false, cancellationToken).ConfigureAwait(false);
            if (write.Status is not (RegistryStatus.Ok or RegistryStatus.Created))
            {
                return new RolloutResult(RolloutOutcome.SplitRejected, rollout, write.Errors, false);
            }

            RolloutLog.Manual(_logger, rollout.Id, rollout.Service, "promoted", actor);
            return RolloutResult.Success(RolloutOutcome.Ok, Finish(rollout with { GreenWeight = 100, StepIndex = rollout.Steps.Length - 1 }, RolloutPhase.Succeeded, "promoted by " + actor, now));
        }, cancellationToken);

    /// <summary>Holds the rollout at its current step (analysis keeps running); idempotent.</summary>
    public Task<RolloutResult> PauseAsync(string id, string actor, CancellationToken cancellationToken) =>
        ActAsync(id, rollout =>
        {
            if (rollout.Phase == RolloutPhase.Paused)
            {
                return Task.FromResult(RolloutResult.Success(RolloutOutcome.Ok, rollout, changed: false));
            }

            var now = _time.GetUtcNow();
            RolloutLog.Manual(_logger, rollout.Id, rollout.Service, "paused", actor);
            var paused = rollout with { Phase = RolloutPhase.Paused, PausedAt = now, PauseReason = "paused by " + actor };
            return Task.FromResult(RolloutResult.Success(RolloutOutcome.Ok, paused.WithEvent(now, "paused", "paused by " + actor)));
        }, cancellationToken);

    /// <summary>
    /// Resumes a paused rollout: a step that waits for a resume advances at once; an operator pause continues the step with
    /// the pause time it had left. Idempotent.
    /// </summary>
    public Task<RolloutResult> ResumeAsync(string id, string actor, CancellationToken cancellationToken) =>
        ActAsync(id, async rollout =>
        {
            if (rollout.Phase != RolloutPhase.Paused)
            {
                return RolloutResult.Success(RolloutOutcome.Ok, rollout, changed: false);
            }

            var now = _time.GetUtcNow();
            RolloutLog.Manual(_logger, rollout.Id, rollout.Service, "resumed", actor);
            var resumed = rollout with { Phase = RolloutPhase.Progressing, PausedAt = null, PauseReason = null };
            if (rollout.CurrentStep.Pause is null)
            {
                var (advanced, ok) = await AdvanceAsync(resumed.WithEvent(now, "resumed", "resumed by " + actor), actor, now, cancellationToken).ConfigureAwait(false);
                return ok
                    ? RolloutResult.Success(RolloutOutcome.Ok, advanced)
                    : new RolloutResult(RolloutOutcome.SplitRejected, rollout, ["the next step's weights could not be written; see the log and the rollout's events"], false);
            }

            var held = now - (rollout.PausedAt ?? now);
            return RolloutResult.Success(RolloutOutcome.Ok, (resumed with { StepStartedAt = rollout.StepStartedAt + held }).WithEvent(now, "resumed", "resumed by " + actor));
        }, cancellationToken);

    /// <summary>Rolls back at once: 100 % to blue in one config push, recorded with the reason.</summary>
    public Task<RolloutResult> AbortAsync(string id, string actor, string? reason, CancellationToken cancellationToken) =>
        ActAsync(id, async rollout =>
        {
            RolloutLog.Manual(_logger, rollout.Id, rollout.Service, "aborted", actor);
            var why = "aborted by " + actor + (string.IsNullOrWhiteSpace(reason) ? string.Empty : ": " + reason.Trim());
            var after = await RollBackAsync(rollout, why, RolloutReasons.Aborted, actor, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return after.Phase == RolloutPhase.RolledBack
                ? RolloutResult.Success(RolloutOutcome.Ok, after)
                : new RolloutResult(RolloutOutcome.SplitRejected, after, ["the rollback could not be written yet; the controller retries it on every tick"], true);
        }, cancellationToken);

    private async Task<RolloutResult> ActAsync(string id, Func<Rollout, Task<RolloutResult>> action, CancellationToken cancellationToken)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_rollouts.TryGetValue(id, out var rollout))
            {
                return RolloutResult.Fail(RolloutOutcome.NotFound, $"rollout '{id}' does not exist");
            }

            if (!rollout.IsActive)
            {
                return new RolloutResult(RolloutOutcome.Finished, rollout, [$"rollout '{id}' has finished ({RolloutPhases.Name(rollout.Phase)}); start a new one"], false);
            }

            var result = await action(rollout).ConfigureAwait(false);
            if (result.Changed && result.Rollout is { } after)
            {
                Store(after);
                await SaveIfChangedAsync(cancellationToken).ConfigureAwait(false);
            }

            return result;
        }
        finally
        {
            _gate.Release();
        }
    }
}
