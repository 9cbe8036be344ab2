// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Rollouts;

/// <summary>A rollout as the API shows it (snake_case JSON; times in UTC, durations in seconds).</summary>
internal sealed record RolloutView(
    string Id,
    string Service,
    string PolicyId,
    string BlueCluster,
    string GreenCluster,
    string Strategy,
    string Phase,
    int BlueWeight,
    int GreenWeight,
    int Step,
    int StepCount,
    IReadOnlyList<RolloutStepView> Steps,
    RolloutAnalysisView Analysis,
    DateTimeOffset StepStartedAt,
    DateTimeOffset? PausedAt,
    string? PauseReason,
    DateTimeOffset? NextAnalysisAt,
    int ConsecutiveFailures,
    int FailedChecks,
    int PassedChecks,
    RolloutCheckView? LastCheck,
    string? Reason,
    bool RollbackPending,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<RolloutEventView> Events)
{
    /// <summary>The view of <paramref name="rollout"/>.</summary>
    public static RolloutView From(Rollout rollout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        var steps = new List<RolloutStepView>(rollout.Steps.Length);
        foreach (var step in rollout.Steps)
        {
            steps.Add(new RolloutStepView(step.Weight, step.Pause?.TotalSeconds, step.Pause is null));
        }

        var events = new List<RolloutEventView>(rollout.Events.Count);
        foreach (var e in rollout.Events)
        {
            events.Add(new RolloutEventView(e.At, e.Type, e.GreenWeight, e.Message));
        }

        var analysis = rollout.Analysis;
        return new RolloutView(
            rollout.Id,
            rollout.Service,
            rollout.PolicyId,
            rollout.Blue,
            rollout.Green,
            rollout.Strategy,
            RolloutPhases.Name(rollout.Phase),
            100 - rollout.GreenWeight,
            rollout.GreenWeight,
            rollout.StepIndex + 1,
            rollout.Steps.Length,
            steps,
            new RolloutAnalysisView(analysis.Interval.TotalSeconds, analysis.MinHealthScore, analysis.Services, analysis.FailureLimit, analysis.RequireHealthData, analysis.GreenBreaker),
            rollout.StepStartedAt,
            rollout.PausedAt,
            rollout.PauseReason,
            rollout.IsActive ? rollout.NextAnalysisAt : null,
            rollout.ConsecutiveFailures,
            rollout.FailedChecks,
            rollout.PassedChecks,
            rollout.LastCheck is { } check ? new RolloutCheckView(check.At, check.Passed, check.Detail) : null,
            rollout.Reason,
            rollout.PendingRollback is not null,
            rollout.CreatedBy,
            rollout.CreatedAt,
            rollout.UpdatedAt,
            rollout.FinishedAt,
            events);
    }
}
