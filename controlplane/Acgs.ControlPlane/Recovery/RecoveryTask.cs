// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Recovery;

/// <summary>
/// One service's recovery task. Mutable, and only touched under the <see cref="RecoveryOrchestrator"/>'s lock;
/// readers get a <see cref="RecoveryTaskView"/>.
/// </summary>
internal sealed class RecoveryTask
{
    public RecoveryTask(long id, string service, RecoveryStrategy strategy, int priority, int maxAttempts, string trigger, DateTimeOffset createdAt)
    {
        Id = id;
        Service = service;
        Strategy = strategy;
        Priority = priority;
        MaxAttempts = maxAttempts;
        Trigger = trigger;
        CreatedAt = createdAt;
    }

    /// <summary>Unique (per replica, increasing) id; also the queue's tie-breaker (older first).</summary>
    public long Id { get; }

    /// <summary>The unhealthy service.</summary>
    public string Service { get; }

    /// <summary>What queued it: <c>critical</c>, <c>degraded</c> or <c>operator</c>.</summary>
    public string Trigger { get; }

    public DateTimeOffset CreatedAt { get; }

    public RecoveryStrategy Strategy { get; set; }

    /// <summary>Lower runs first.</summary>
    public int Priority { get; set; }

    public int MaxAttempts { get; set; }

    public RecoveryTaskState State { get; set; } = RecoveryTaskState.Pending;

    /// <summary>Attempts made since the task was queued or an operator last retried it.</summary>
    public int Attempts { get; set; }

    /// <summary>Attempts made over the task's life.</summary>
    public int TotalAttempts { get; set; }

    /// <summary>When the next attempt is due (Pending only).</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }

    /// <summary>What the last attempt (or operator action) found.</summary>
    public string? LastResult { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>The id of the breaker reset sent on success.</summary>
    public string? ResetId { get; set; }

    /// <summary>Sidecars the reset was pushed to.</summary>
    public int? ResetSidecars { get; set; }

    /// <summary>Bumped by every change an attempt in flight must not overwrite (operator actions).</summary>
    public int Generation { get; set; }

    /// <summary>True while an attempt is running (the task is out of the queue).</summary>
    public bool Attempting { get; set; }

    /// <summary>True when the service turned HEALTHY while an attempt was running (the next attempt is then due at once).</summary>
    public bool HealthyDuringAttempt { get; set; }

    public bool IsActive => State is RecoveryTaskState.Pending or RecoveryTaskState.AwaitingOperator;

    public RecoveryTaskView ToView() => new(
        Id, Service, RecoveryNames.Of(State), RecoveryNames.Of(Strategy), Priority, Trigger, Attempts, MaxAttempts, TotalAttempts,
        CreatedAt, NextAttemptAt, LastAttemptAt, LastResult, FinishedAt, ResetId, ResetSidecars);
}
