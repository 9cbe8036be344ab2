// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.ControlPlane.Policies;

namespace Acgs.ControlPlane.Rollouts;

/// <summary>The step machine of <see cref="RolloutManager"/>: analysis, advancing, finishing, rolling back.</summary>
internal sealed partial class RolloutManager
{
    private static Rollout EnterStep(Rollout rollout, int index, DateTimeOffset now)
    {
        var step = rollout.Steps[index];
        var entered = rollout with
        {
            StepIndex = index,
            StepStartedAt = now,
            NextAnalysisAt = now + rollout.Analysis.Interval,
            ConsecutiveFailures = 0,
            Phase = step.Pause is null ? RolloutPhase.Paused : RolloutPhase.Progressing,
            PausedAt = step.Pause is null ? now : null,
            PauseReason = step.Pause is null ? "step waits for a resume or promote" : null,
        };
        return entered;
    }

    private async Task<Rollout> ReconcileOneAsync(Rollout rollout, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (rollout.PendingRollback is { } pending)
        {
            return await RollBackAsync(rollout, pending.Reason, pending.Category, pending.Actor, now, cancellationToken).ConfigureAwait(false);
        }

        if (rollout.WarmUpUntil is { } until)
        {
            if (now < until)
            {
                return rollout;
            }

            rollout = rollout with { WarmUpUntil = null, NextAnalysisAt = now };
        }

        if (now >= rollout.NextAnalysisAt)
        {
            rollout = RunCheck(rollout, now);
            if (rollout.ConsecutiveFailures > rollout.Analysis.FailureLimit)
            {
                return await RollBackAsync(rollout, FailureReason(rollout), rollout.LastCheck!.FailureCategory!, ControllerActor, now, cancellationToken).ConfigureAwait(false);
            }
        }

        if (rollout.Phase != RolloutPhase.Progressing || rollout.CurrentStep.Pause is not { } pause || now - rollout.StepStartedAt < pause)
        {
            return rollout;
        }

        if (rollout.LastCheck is null || rollout.LastCheck.At < rollout.StepStartedAt)
        {
            // Every step ends on a check of its own, even one shorter than the analysis interval.
            rollout = RunCheck(rollout, now);
            if (rollout.ConsecutiveFailures > rollout.Analysis.FailureLimit)
            {
                return await RollBackAsync(rollout, FailureReason(rollout), rollout.LastCheck!.FailureCategory!, ControllerActor, now, cancellationToken).ConfigureAwait(false);
            }
        }

        if (rollout.ConsecutiveFailures > 0)
        {
            return rollout; // the step holds until a check passes (or the failures roll it back)
        }

        var (after, advanced) = await AdvanceAsync(rollout, ControllerActor, now, cancellationToken).ConfigureAwait(false);
        return advanced && after.IsActive && after.CurrentStep.Pause == TimeSpan.Zero
            ? await ReconcileOneAsync(after, now, cancellationToken).ConfigureAwait(false) // a step without a pause passes at once
            : after;
    }

    private static string FailureReason(Rollout rollout) => string.Create(CultureInfo.InvariantCulture,
        $"analysis failed {rollout.ConsecutiveFailures} check(s) in a row (limit {rollout.Analysis.FailureLimit}) at step {rollout.StepIndex + 1}/{rollout.Steps.Length}, green at {rollout.GreenWeight}%: {rollout.LastCheck!.Detail}");

    private Rollout RunCheck(Rollout rollout, DateTimeOffset now)
    {
        var check = _analyzer.Check(rollout.Analysis, rollout.Green, now);
        var after = rollout with
        {
            LastCheck = check,
            NextAnalysisAt = now + rollout.Analysis.Interval,
            ConsecutiveFailures = check.Passed ? 0 : rollout.ConsecutiveFailures + 1,
            FailedChecks = rollout.FailedChecks + (check.Passed ? 0 : 1),
            PassedChecks = rollout.PassedChecks + (check.Passed ? 1 : 0),
        };
        if (!check.Passed)
        {
            RolloutLog.CheckFailed(_logger, rollout.Id, rollout.Service, after.ConsecutiveFailures, check.Detail);
            after = after.WithEvent(now, "check_failed", check.Detail);
        }

        return after;
    }

    /// <summary>The next step (its weights written), or success after the last; not advanced when the write failed (retried next tick).</summary>
    private async Task<(Rollout Rollout, bool Advanced)> AdvanceAsync(Rollout rollout, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var next = rollout.StepIndex + 1;
        if (next >= rollout.Steps.Length)
        {
            return (Finish(rollout, RolloutPhase.Succeeded, "every step passed analysis; 100% of the traffic goes to " + rollout.Green, now), true);
        }

        var weight = rollout.Steps[next].Weight;
        var write = await _writer.WriteAsync(rollout, weight, actor, Note(rollout, next, "advanced"), force: false, cancellationToken).ConfigureAwait(false);
        if (write.Status is not (RegistryStatus.Ok or RegistryStatus.Created))
        {
            var errors = string.Join("; ", write.Errors);
            RolloutLog.PushFailed(_logger, rollout.Id, rollout.Service, weight, errors);
            return (rollout.WithEvent(now, "push_failed", $"green {weight}%: {errors}"), false);
        }

        RolloutLog.Stepped(_logger, rollout.Id, rollout.Service, next + 1, weight);
        return (EnterStep(rollout with { GreenWeight = weight }, next, now)
            .WithEvent(now, "step", string.Create(CultureInfo.InvariantCulture, $"step {next + 1}/{rollout.Steps.Length}: green at {weight}%")), true);
    }

    private async Task<Rollout> RollBackAsync(Rollout rollout, string reason, string category, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var write = await _writer.WriteAsync(rollout, 0, actor, Note(rollout, rollout.StepIndex, "rollback: " + reason), force: true, cancellationToken).ConfigureAwait(false);
        if (write.Status is not (RegistryStatus.Ok or RegistryStatus.Created))
        {
            var errors = string.Join("; ", write.Errors);
            RolloutLog.PushFailed(_logger, rollout.Id, rollout.Service, 0, errors);
            return (rollout with { PendingRollback = new RolloutPendingRollback(reason, category, actor) }).WithEvent(now, "push_failed", "rollback: " + errors);
        }

        _metrics.Rollbacks.WithLabels(category).Inc();
        RolloutLog.RolledBack(_logger, rollout.Id, rollout.Service, rollout.Blue, reason);
        return Finish(rollout with { GreenWeight = 0, PendingRollback = null }, RolloutPhase.RolledBack, reason, now);
    }

    private Rollout Finish(Rollout rollout, RolloutPhase phase, string reason, DateTimeOffset now)
    {
        if (phase == RolloutPhase.Succeeded)
        {
            RolloutLog.Succeeded(_logger, rollout.Id, rollout.Service, reason);
        }

        return (rollout with { Phase = phase, Reason = reason, FinishedAt = now, PausedAt = null, PauseReason = null })
            .WithEvent(now, phase == RolloutPhase.Succeeded ? "succeeded" : "rolled_back", reason);
    }

    private void Store(Rollout rollout)
    {
        _rollouts[rollout.Id] = rollout;
        _dirty = true;
        Prune();
        Publish(rollout);
    }

    /// <summary>Writes the state file when something changed since the last write; a failed write is logged and retried after the next operation.</summary>
    private async Task SaveIfChangedAsync(CancellationToken cancellationToken)
    {
        if (!_dirty || !_file.Enabled)
        {
            return;
        }

        var held = new List<Rollout>(_order.Count);
        foreach (var id in _order)
        {
            held.Add(_rollouts[id]);
        }

        try
        {
            await _file.SaveAsync(new RolloutState(_sequence, held), cancellationToken).ConfigureAwait(false);
            _dirty = false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            RolloutLog.SaveFailed(_logger, _file.Location!, ex);
        }
    }

    /// <summary>
    /// Loads the saved state (<paramref name="why"/> goes into the events): active rollouts wait out a warm-up before their
    /// next check or step. Without a reason (a replica that does not lead, reading the leader's state) they load as saved.
    /// </summary>
    private void Load(string? why)
    {
        if (_file.Load(out var error) is not { } state)
        {
            if (error is not null)
            {
                RolloutLog.LoadFailed(_logger, _file.Location!, error);
            }

            return;
        }

        var now = _time.GetUtcNow();
        _sequence = state.Sequence;
        foreach (var saved in state.Rollouts)
        {
            var rollout = saved.IsActive && why is not null
                ? (saved with { WarmUpUntil = now + _analyzer.WarmUp + saved.Analysis.Interval }).WithEvent(now, "restored", why + "; analysis resumes after a warm-up")
                : saved;
            _rollouts[rollout.Id] = rollout;
            _order.Add(rollout.Id);
            Publish(rollout);
            if (rollout.IsActive && why is not null)
            {
                RolloutLog.Restored(_logger, rollout.Id, rollout.Service, rollout.StepIndex + 1, rollout.GreenWeight);
            }
        }
    }

    private void Publish(Rollout rollout)
    {
        _metrics.GreenWeight.WithLabels(rollout.Service).Set(rollout.GreenWeight);
        Span<int> counts = stackalloc int[RolloutPhases.All.Length];
        foreach (var held in _rollouts.Values)
        {
            counts[(int)held.Phase]++;
        }

        for (var i = 0; i < counts.Length; i++)
        {
            _metrics.Rollouts.WithLabels(RolloutPhases.Name(RolloutPhases.All[i])).Set(counts[i]);
        }
    }

    /// <summary>Forgets the oldest finished rollouts beyond <see cref="RolloutOptions.KeepFinished"/>.</summary>
    private void Prune()
    {
        var finished = 0;
        foreach (var id in _order)
        {
            finished += _rollouts[id].IsActive ? 0 : 1;
        }

        for (var i = 0; finished > _options.KeepFinished && i < _order.Count;)
        {
            if (_rollouts[_order[i]].IsActive)
            {
                i++;
                continue;
            }

            _rollouts.Remove(_order[i]);
            _order.RemoveAt(i);
            finished--;
        }
    }
}
