// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Config;
using Acgs.ControlPlane.HealthAggregation;
using Microsoft.Extensions.Logging;

namespace Acgs.ControlPlane.Recovery;

/// <summary>
/// The recovery orchestrator (docs/control-plane.md). A service whose aggregated health turns CRITICAL (or DEGRADED, with
/// <see cref="RecoveryTrigger.Degraded"/>) gets one recovery task; the tasks wait in a min-priority queue
/// (<see cref="RecoveryQueue"/>: lower priority number first among the due ones). Each attempt probes the service
/// (<see cref="IRecoveryProbe"/>); success pushes a breaker reset of the service's clusters (<c>&lt;service&gt;</c> in
/// every caller, <c>inbound|&lt;service&gt;</c> in its own sidecars) to every sidecar and finishes the task; failure
/// schedules the next attempt by the strategy (<see cref="RecoveryBackoff"/>) until the attempts run out, when a
/// manual task waits for an operator and any other fails. A change back to HEALTHY makes a pending automatic task's
/// next attempt due at once. Finished tasks go to a bounded history. Thread-safe; attempts run on the caller of
/// <see cref="RunDueAsync"/> (the <see cref="RecoveryService"/> worker), time comes from <see cref="TimeProvider"/>.
/// </summary>
internal sealed partial class RecoveryOrchestrator
{
    /// <summary>Trigger name of tasks an operator started.</summary>
    public const string OperatorTrigger = "operator";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, RecoveryTask> _active = new(StringComparer.Ordinal);
    private readonly RecoveryQueue _queue = new();
    private readonly Queue<RecoveryTaskView> _history = new();
    private readonly RecoveryOptions _options;
    private readonly IRecoveryProbe _probe;
    private readonly IBreakerResetPublisher _publisher;
    private readonly TimeProvider _time;
    private readonly ILogger<RecoveryOrchestrator> _logger;
    private readonly RecoveryMetrics? _metrics;
    private TaskCompletionSource? _waiter;
    private bool _signalled;
    private long _nextId;

    public RecoveryOrchestrator(
        RecoveryOptions options, IRecoveryProbe probe, IBreakerResetPublisher publisher, TimeProvider time, ILogger<RecoveryOrchestrator> logger, RecoveryMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(publisher);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _probe = probe;
        _publisher = publisher;
        _time = time;
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>The settings.</summary>
    public RecoveryOptions Options => _options;

    /// <summary>
    /// The <see cref="HealthAggregator.StatusChanged"/> handler: queues a task when a service turns unhealthy enough
    /// (see <see cref="RecoveryOptions.Trigger"/>), makes a pending automatic task due now when it turns HEALTHY.
    /// Mesh-wide changes and, when <see cref="RecoveryOptions.Enabled"/> is false, all changes are ignored.
    /// </summary>
    public void OnStatusChanged(object? sender, HealthStatusChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!_options.Enabled || change.Service is not { } service)
        {
            return;
        }

        switch (change.Current)
        {
            case HealthStatus.Critical:
                Enqueue(service, "critical");
                break;
            case HealthStatus.Degraded when _options.Trigger == RecoveryTrigger.Degraded:
                Enqueue(service, "degraded");
                break;
            case HealthStatus.Healthy:
                lock (_lock)
                {
                    if (_active.TryGetValue(service, out var task) && task.State == RecoveryTaskState.Pending && task.Strategy != RecoveryStrategy.Manual)
                    {
                        if (task.Attempting)
                        {
                            task.HealthyDuringAttempt = true;
                        }
                        else if (task.NextAttemptAt > _time.GetUtcNow())
                        {
                            task.NextAttemptAt = _time.GetUtcNow();
                        }
                    }
                }

                Signal();
                break;
        }
    }

    /// <summary>
    /// Queues a task for <paramref name="service"/> unless one is active (one per service); returns the active task and
    /// whether this call created it. Manual tasks start waiting for an operator; others wait for their first backoff.
    /// </summary>
    public (RecoveryTaskView Task, bool Created) Enqueue(string service, string trigger)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        RecoveryTask task;
        lock (_lock)
        {
            if (_active.TryGetValue(service, out var existing))
            {
                return (existing.ToView(), false);
            }

            task = NewTaskLocked(service, trigger, null, null);
            var delay = RecoveryBackoff.Delay(task.Strategy, 1, _options);
            if (delay is { } wait)
            {
                task.NextAttemptAt = _time.GetUtcNow() + wait;
                _queue.Add(task);
            }
            else
            {
                task.State = RecoveryTaskState.AwaitingOperator;
                task.LastResult = "manual strategy: waiting for an operator's retry";
            }

            UpdateGaugesLocked();
        }

        LogQueued(task.Id, service, trigger, RecoveryNames.Of(task.Strategy), task.Priority);
        Signal();
        return (task.ToView(), true);
    }

    /// <summary>
    /// Operator retry: the service's active task (queued now if none — an operator may start recovery of any service)
    /// gets a fresh attempt budget and its next attempt runs at once, whatever the strategy; <paramref name="strategy"/>
    /// and <paramref name="priority"/> change it first when given.
    /// </summary>
    public RecoveryActionResult Retry(string service, RecoveryStrategy? strategy, int? priority)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        RecoveryActionResult result;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (_active.TryGetValue(service, out var task))
            {
                if (task.Attempting)
                {
                    return new RecoveryActionResult(RecoveryActionStatus.Busy, task.ToView());
                }

                task.Strategy = strategy ?? task.Strategy;
                task.Priority = priority ?? task.Priority;
                task.Attempts = 0;
                task.Generation++;
                task.LastResult = "retry requested by an operator";
                result = new RecoveryActionResult(RecoveryActionStatus.Updated, null);
            }
            else
            {
                task = NewTaskLocked(service, OperatorTrigger, strategy, priority);
                task.LastResult = "started by an operator";
                result = new RecoveryActionResult(RecoveryActionStatus.Created, null);
            }

            task.State = RecoveryTaskState.Pending;
            task.NextAttemptAt = now;
            _queue.Add(task);
            UpdateGaugesLocked();
            result = result with { Task = task.ToView() };
        }

        LogOperator(service, result.Status == RecoveryActionStatus.Created ? "started a task" : "retried");
        Signal();
        return result;
    }

    /// <summary>Operator change of the active task's strategy and/or priority (see docs/control-plane.md for the rescheduling rules).</summary>
    public RecoveryActionResult Update(string service, RecoveryStrategy? strategy, int? priority)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        RecoveryTaskView view;
        lock (_lock)
        {
            if (!_active.TryGetValue(service, out var task))
            {
                return new RecoveryActionResult(RecoveryActionStatus.NotFound, null);
            }

            if (task.Attempting)
            {
                return new RecoveryActionResult(RecoveryActionStatus.Busy, task.ToView());
            }

            task.Priority = priority ?? task.Priority;
            if (strategy is { } next && next != task.Strategy)
            {
                task.Strategy = next;
                task.Generation++;
                var delay = RecoveryBackoff.Delay(next, Math.Min(task.Attempts + 1, int.MaxValue), _options);
                if (delay is { } wait)
                {
                    // From the last attempt (or the queueing), but never in the past.
                    var due = (task.LastAttemptAt ?? task.CreatedAt) + wait;
                    var now = _time.GetUtcNow();
                    task.State = RecoveryTaskState.Pending;
                    task.NextAttemptAt = due > now ? due : now;
                    _queue.Add(task);
                }
                else
                {
                    _queue.Remove(task);
                    task.State = RecoveryTaskState.AwaitingOperator;
                    task.NextAttemptAt = null;
                }
            }

            UpdateGaugesLocked();
            view = task.ToView();
        }

        LogOperator(service, "changed strategy/priority");
        Signal();
        return new RecoveryActionResult(RecoveryActionStatus.Updated, view);
    }

    /// <summary>Operator cancel: the active task ends as cancelled and goes to the history.</summary>
    public RecoveryActionResult Cancel(string service)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        RecoveryTaskView view;
        lock (_lock)
        {
            if (!_active.TryGetValue(service, out var task))
            {
                return new RecoveryActionResult(RecoveryActionStatus.NotFound, null);
            }

            if (task.Attempting)
            {
                return new RecoveryActionResult(RecoveryActionStatus.Busy, task.ToView());
            }

            _queue.Remove(task);
            task.LastResult = "cancelled by an operator";
            view = FinishLocked(task, RecoveryTaskState.Cancelled);
        }

        LogOperator(service, "cancelled");
        return new RecoveryActionResult(RecoveryActionStatus.Updated, view);
    }

    /// <summary>Active tasks in the order they would run (priority, next attempt, id); tasks waiting for an operator last.</summary>
    public IReadOnlyList<RecoveryTaskView> Tasks()
    {
        lock (_lock)
        {
            var tasks = new List<RecoveryTask>(_active.Values);
            tasks.Sort(static (a, b) =>
            {
                var byWaiting = a.NextAttemptAt.HasValue.CompareTo(b.NextAttemptAt.HasValue);
                if (byWaiting != 0)
                {
                    return -byWaiting;
                }

                var byPriority = a.Priority.CompareTo(b.Priority);
                if (byPriority != 0)
                {
                    return byPriority;
                }

                var byDue = Nullable.Compare(a.NextAttemptAt, b.NextAttemptAt);
                return byDue != 0 ? byDue : a.Id.CompareTo(b.Id);
            });
            return [.. tasks.Select(static t => t.ToView())];
        }
    }

    /// <summary>The active task of <paramref name="service"/>, or null.</summary>
    public RecoveryTaskView? Task(string service)
    {
        lock (_lock)
        {
            return _active.TryGetValue(service, out var task) ? task.ToView() : null;
        }
    }

    /// <summary>Finished tasks, newest first (at most <see cref="RecoveryOptions.HistorySize"/>).</summary>
    public IReadOnlyList<RecoveryTaskView> History()
    {
        lock (_lock)
        {
            var list = new List<RecoveryTaskView>(_history);
            list.Reverse();
            return list;
        }
    }

    /// <summary>When the next queued attempt is due, or null when none is queued.</summary>
    public DateTimeOffset? NextDue()
    {
        lock (_lock)
        {
            return _queue.NextDue();
        }
    }

    /// <summary>Runs every attempt due now, lowest priority number first; returns how many ran.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var ran = 0;
        while (!cancellationToken.IsCancellationRequested && TakeDue() is { } task)
        {
            ran++;
            RecoveryProbeResult probe;
            BreakerReset? reset = null;
            var sidecars = 0;
            try
            {
                probe = await _probe.ProbeAsync(task.Service, cancellationToken).ConfigureAwait(false);
                if (probe.Healthy)
                {
                    reset = new BreakerReset
                    {
                        Id = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{task.Id}.{task.TotalAttempts}"),
                        Clusters = [task.Service, "inbound|" + task.Service],
                        Reason = "recovery of " + task.Service,
                        IssuedAt = _time.GetUtcNow(),
                    };
                    sidecars = _publisher.Publish(reset);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogAttemptThrew(task.Service, ex);
                probe = new RecoveryProbeResult(false, "the attempt threw " + ex.GetType().Name);
                reset = null;
            }
            catch (OperationCanceledException)
            {
                lock (_lock)
                {
                    // Shutting down: put it back as it was.
                    task.Attempting = false;
                    task.Attempts--;
                    task.TotalAttempts--;
                    _queue.Add(task);
                }

                throw;
            }

            Complete(task, probe, reset, sidecars);
        }

        return ran;
    }

    /// <summary>Waits until work may be due: the next queued attempt's time (by the <see cref="TimeProvider"/>) or a signal (new task, operator action).</summary>
    public async Task WaitForWorkAsync(TimeSpan idle, CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        TimeSpan delay;
        lock (_lock)
        {
            if (_signalled)
            {
                _signalled = false;
                return;
            }

            waiter = _waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var due = _queue.NextDue();
            delay = due is { } at ? at - _time.GetUtcNow() : idle;
            if (delay <= TimeSpan.Zero)
            {
                _waiter = null;
                return;
            }
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            await System.Threading.Tasks.Task.WhenAny(System.Threading.Tasks.Task.Delay(delay, _time, stop.Token), waiter.Task).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            lock (_lock)
            {
                if (ReferenceEquals(_waiter, waiter))
                {
                    _waiter = null;
                }

                _signalled = false;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    private void Signal()
    {
        lock (_lock)
        {
            if (_waiter is { } waiter)
            {
                _waiter = null;
                waiter.TrySetResult();
            }
            else
            {
                _signalled = true;
            }
        }
    }

    private RecoveryTask? TakeDue()
    {
        lock (_lock)
        {
            if (!_queue.TryTakeDue(_time.GetUtcNow(), out var task))
            {
                return null;
            }

            task!.Attempting = true;
            task.HealthyDuringAttempt = false;
            task.Attempts++;
            task.TotalAttempts++;
            task.LastAttemptAt = _time.GetUtcNow();
            task.NextAttemptAt = null;
            return task;
        }
    }

    private void Complete(RecoveryTask task, RecoveryProbeResult probe, BreakerReset? reset, int sidecars)
    {
        var exhausted = false;
        lock (_lock)
        {
            task.Attempting = false;
            task.LastResult = probe.Detail;
            if (reset is not null)
            {
                task.ResetId = reset.Id;
                task.ResetSidecars = sidecars;
                _metrics?.Attempts.WithLabels("success").Inc();
                _metrics?.Resets.Inc(sidecars);
                FinishLocked(task, RecoveryTaskState.Succeeded);
            }
            else
            {
                _metrics?.Attempts.WithLabels("failure").Inc();
                exhausted = task.Attempts >= task.MaxAttempts;
                var delay = exhausted ? null : RecoveryBackoff.Delay(task.Strategy, task.Attempts + 1, _options);
                if (delay is { } wait)
                {
                    // A change to HEALTHY while the attempt ran: the evidence may be newer than what it read.
                    task.NextAttemptAt = _time.GetUtcNow() + (task.HealthyDuringAttempt ? TimeSpan.Zero : wait);
                    _queue.Add(task);
                }
                else if (task.Strategy == RecoveryStrategy.Manual)
                {
                    task.State = RecoveryTaskState.AwaitingOperator;
                    if (exhausted)
                    {
                        task.LastResult = "attempts exhausted; waiting for an operator: " + probe.Detail;
                    }
                }
                else
                {
                    FinishLocked(task, RecoveryTaskState.Failed);
                }

                UpdateGaugesLocked();
            }
        }

        if (reset is not null)
        {
            LogSucceeded(task.Service, probe.Detail, reset.Id, sidecars);
        }
        else if (task.State == RecoveryTaskState.Failed)
        {
            LogFailed(task.Service, task.Attempts, probe.Detail);
        }
        else if (task.State == RecoveryTaskState.AwaitingOperator)
        {
            LogAwaitingOperator(task.Service, exhausted ? "attempts exhausted" : "manual strategy");
        }
        else
        {
            LogAttemptFailed(task.Service, task.Attempts, task.MaxAttempts, probe.Detail);
        }
    }

    private RecoveryTask NewTaskLocked(string service, string trigger, RecoveryStrategy? strategy, int? priority)
    {
        var task = new RecoveryTask(++_nextId, service, strategy ?? _options.StrategyFor(service), priority ?? _options.PriorityFor(service),
            _options.MaxAttempts, trigger, _time.GetUtcNow());
        _active.Add(service, task);
        return task;
    }

    private RecoveryTaskView FinishLocked(RecoveryTask task, RecoveryTaskState state)
    {
        task.State = state;
        task.NextAttemptAt = null;
        task.FinishedAt = _time.GetUtcNow();
        _active.Remove(task.Service);
        var view = task.ToView();
        _history.Enqueue(view);
        while (_history.Count > _options.HistorySize)
        {
            _history.Dequeue();
        }

        _metrics?.Finished.WithLabels(RecoveryNames.Of(state)).Inc();
        UpdateGaugesLocked();
        return view;
    }

    private void UpdateGaugesLocked()
    {
        if (_metrics is null)
        {
            return;
        }

        int pending = 0, waiting = 0;
        foreach (var task in _active.Values)
        {
            if (task.State == RecoveryTaskState.AwaitingOperator)
            {
                waiting++;
            }
            else
            {
                pending++;
            }
        }

        _metrics.Tasks.WithLabels("pending").Set(pending);
        _metrics.Tasks.WithLabels("awaiting_operator").Set(waiting);
    }
}
