// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Recovery;

namespace Acgs.ControlPlane.Tests.Recovery;

public sealed class RecoveryQueueTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    private static RecoveryTask Task(long id, string service, int priority, double dueSeconds) =>
        new(id, service, RecoveryStrategy.Exponential, priority, 5, "critical", T0) { NextAttemptAt = T0.AddSeconds(dueSeconds) };

    [Fact]
    public void TryTakeDue_SeveralDue_LowestPriorityNumberFirst()
    {
        var queue = new RecoveryQueue();
        queue.Add(Task(1, "c", 50, 0));
        queue.Add(Task(2, "a", 1, 0));
        queue.Add(Task(3, "b", 10, 0));

        var order = new List<string>();
        while (queue.TryTakeDue(T0, out var task))
        {
            order.Add(task!.Service);
        }

        Assert.Equal(["a", "b", "c"], order);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void TryTakeDue_LowerPriorityNotDue_DueTaskRunsFirst()
    {
        var queue = new RecoveryQueue();
        queue.Add(Task(1, "urgent-later", 1, 5));
        queue.Add(Task(2, "routine-now", 100, 0));

        Assert.True(queue.TryTakeDue(T0, out var first));
        Assert.Equal("routine-now", first!.Service);
        Assert.False(queue.TryTakeDue(T0.AddSeconds(4.999), out _));
        Assert.True(queue.TryTakeDue(T0.AddSeconds(5), out var second));
        Assert.Equal("urgent-later", second!.Service);
    }

    [Fact]
    public void TryTakeDue_SamePriority_EarlierDueThenOlderFirst()
    {
        var queue = new RecoveryQueue();
        queue.Add(Task(3, "newest-early", 5, 1));
        queue.Add(Task(2, "older-late", 5, 2));
        queue.Add(Task(1, "oldest-late", 5, 2));

        var order = new List<string>();
        while (queue.TryTakeDue(T0.AddSeconds(10), out var task))
        {
            order.Add(task!.Service);
        }

        Assert.Equal(["newest-early", "oldest-late", "older-late"], order);
    }

    [Fact]
    public void NextDue_EarliestOfQueued_NullWhenEmpty()
    {
        var queue = new RecoveryQueue();
        Assert.Null(queue.NextDue());
        var late = Task(1, "a", 1, 9);
        queue.Add(late);
        queue.Add(Task(2, "b", 100, 3));

        Assert.Equal(T0.AddSeconds(3), queue.NextDue());
        Assert.True(queue.Remove(late));
        Assert.False(queue.Remove(late));
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public void Add_TaskWithoutDueTime_Throws()
    {
        var queue = new RecoveryQueue();
        var task = new RecoveryTask(1, "a", RecoveryStrategy.Manual, 1, 5, "critical", T0);

        Assert.Throws<ArgumentException>(() => queue.Add(task));
    }
}
