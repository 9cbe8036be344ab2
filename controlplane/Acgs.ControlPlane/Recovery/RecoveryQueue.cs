// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Recovery;

/// <summary>
/// The min-priority queue of pending recovery tasks: <see cref="TryTakeDue"/> hands out, among the tasks whose next
/// attempt is due, the one with the lowest priority number, then the earliest due, then the oldest (lowest id).
/// Not thread-safe (the orchestrator's lock guards it). A heap keyed by due time would not do: a task's order
/// depends on "now", since only due tasks compete by priority; the queue holds one task per unhealthy service, so a
/// linear scan is cheap.
/// </summary>
internal sealed class RecoveryQueue
{
    private readonly List<RecoveryTask> _tasks = [];

    /// <summary>Tasks queued.</summary>
    public int Count => _tasks.Count;

    /// <summary>Queues <paramref name="task"/> (once).</summary>
    public void Add(RecoveryTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.NextAttemptAt is null)
        {
            throw new ArgumentException("a queued task needs a due time", nameof(task));
        }

        if (!_tasks.Contains(task))
        {
            _tasks.Add(task);
        }
    }

    /// <summary>Takes <paramref name="task"/> out; false when it was not queued.</summary>
    public bool Remove(RecoveryTask task) => _tasks.Remove(task);

    /// <summary>Takes the due task that runs first (see the class summary); false when none is due at <paramref name="now"/>.</summary>
    public bool TryTakeDue(DateTimeOffset now, out RecoveryTask? task)
    {
        var best = -1;
        for (var i = 0; i < _tasks.Count; i++)
        {
            var candidate = _tasks[i];
            if (candidate.NextAttemptAt > now)
            {
                continue;
            }

            if (best < 0 || RunsBefore(candidate, _tasks[best]))
            {
                best = i;
            }
        }

        if (best < 0)
        {
            task = null;
            return false;
        }

        task = _tasks[best];
        _tasks.RemoveAt(best);
        return true;
    }

    /// <summary>The earliest due time, or null when empty.</summary>
    public DateTimeOffset? NextDue()
    {
        DateTimeOffset? next = null;
        foreach (var task in _tasks)
        {
            if (next is null || task.NextAttemptAt < next)
            {
                next = task.NextAttemptAt;
            }
        }

        return next;
    }

    private static bool RunsBefore(RecoveryTask a, RecoveryTask b)
    {
        if (a.Priority != b.Priority)
        {
            return a.Priority < b.Priority;
        }

        if (a.NextAttemptAt != b.NextAttemptAt)
        {
            return a.NextAttemptAt < b.NextAttemptAt;
        }

        return a.Id < b.Id;
    }
}
