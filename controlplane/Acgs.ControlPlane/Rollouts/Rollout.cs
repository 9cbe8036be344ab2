// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Acgs.ControlPlane.Rollouts;

/// <summary>
/// A blue-green rollout of one service, immutable (the manager swaps whole values). The traffic split lives in the
/// TrafficSplit policy <see cref="PolicyId"/> targeting <see cref="Service"/>: every weight change is a new version
/// of it, activated through the policy registry, so sidecars (and sidecars that reconnect) get it like any other change.
/// </summary>
internal sealed record Rollout
{
    /// <summary>Most events kept per rollout.</summary>
    public const int MaxEvents = 100;

    /// <summary>The rollout id: <c>&lt;service&gt;-&lt;sequence&gt;</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The service whose traffic is split (the TrafficSplit policy's target: the host callers use).</summary>
    public required string Service { get; init; }

    /// <summary>The TrafficSplit policy the weights are written to.</summary>
    public required string PolicyId { get; init; }

    /// <summary>The stable cluster.</summary>
    public required string Blue { get; init; }

    /// <summary>The new cluster.</summary>
    public required string Green { get; init; }

    /// <summary><c>canary</c> (stepped weights) or <c>blue_green</c> (a pre-promotion window at 0 %, then the switch).</summary>
    public required string Strategy { get; init; }

    /// <summary>The steps; the last one sends 100 % to green.</summary>
    public required ImmutableArray<RolloutStep> Steps { get; init; }

    /// <summary>How the rollout is judged.</summary>
    public required RolloutAnalysis Analysis { get; init; }

    /// <summary>Who created it.</summary>
    public required string CreatedBy { get; init; }

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The phase.</summary>
    public RolloutPhase Phase { get; init; }

    /// <summary>Index of the current step.</summary>
    public int StepIndex { get; init; }

    /// <summary>The green weight now in force (what was last pushed).</summary>
    public int GreenWeight { get; init; }

    /// <summary>When the current step began (moved forward by the time spent paused).</summary>
    public DateTimeOffset StepStartedAt { get; init; }

    /// <summary>When the rollout was paused, while <see cref="RolloutPhase.Paused"/>.</summary>
    public DateTimeOffset? PausedAt { get; init; }

    /// <summary>Why it is paused.</summary>
    public string? PauseReason { get; init; }

    /// <summary>When the next analysis check is due.</summary>
    public DateTimeOffset NextAnalysisAt { get; init; }

    /// <summary>Failed checks in a row (reset by a passing check).</summary>
    public int ConsecutiveFailures { get; init; }

    /// <summary>Every failed check.</summary>
    public int FailedChecks { get; init; }

    /// <summary>Every passing check.</summary>
    public int PassedChecks { get; init; }

    /// <summary>The last check.</summary>
    public RolloutCheck? LastCheck { get; init; }

    /// <summary>Why it finished (rollback reason, or how it succeeded).</summary>
    public string? Reason { get; init; }

    /// <summary>A decided rollback whose config push failed: retried on every controller tick.</summary>
    public RolloutPendingRollback? PendingRollback { get; init; }

    /// <summary>
    /// After a control-plane restart: until then the rollout neither checks nor advances, so the health aggregation (in
    /// memory, empty at start) has heard from the sidecars again. Not saved.
    /// </summary>
    [JsonIgnore]
    public DateTimeOffset? WarmUpUntil { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When it finished.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>What happened, oldest first (at most <see cref="MaxEvents"/>).</summary>
    public ImmutableList<RolloutEvent> Events { get; init; } = [];

    /// <summary>True while progressing or paused.</summary>
    [JsonIgnore]
    public bool IsActive => Phase is RolloutPhase.Progressing or RolloutPhase.Paused;

    /// <summary>The current step.</summary>
    [JsonIgnore]
    public RolloutStep CurrentStep => Steps[StepIndex];

    /// <summary>This rollout with <paramref name="type"/> appended to its events (the oldest dropped past <see cref="MaxEvents"/>).</summary>
    public Rollout WithEvent(DateTimeOffset at, string type, string message)
    {
        var events = Events.Add(new RolloutEvent(at, type, GreenWeight, message));
        if (events.Count > MaxEvents)
        {
            events = events.RemoveAt(0);
        }

        return this with { Events = events, UpdatedAt = at };
    }
}
