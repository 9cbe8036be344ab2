// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.BusWire;
using Acgs.Sidecar.Bus;
using Xunit;

namespace Acgs.Sidecar.Tests.Bus;

public class PriorityOutboxTests
{
    [Fact]
    public void TakeBatch_MixedPriorities_ControlFirstThenCriticalToLowFifoWithinLane()
    {
        var outbox = new PriorityOutbox(8);
        var low = Message(WirePriority.Low);
        var normal = Message(WirePriority.Normal);
        var critical1 = Message(WirePriority.Critical);
        var high = Message(WirePriority.High);
        var critical2 = Message(WirePriority.Critical);
        foreach (var m in new[] { low, normal, critical1, high, critical2 })
        {
            Assert.Equal(EnqueueResult.Enqueued, outbox.TryEnqueue(m));
        }

        outbox.TryEnqueueControl(new OutboxItem(BusFrameType.Pong, BusFrameFlagBits.None, BusErrorCode.None, null, null, 1));
        var batch = new OutboxItem[10];
        var n = outbox.TakeBatch(batch, 10, out var messages);

        Assert.Equal(6, n);
        Assert.Equal(5, messages);
        Assert.Equal(BusFrameType.Pong, batch[0].Type);
        Assert.Equal([critical1, critical2, high, normal, low], batch[1..6].Select(i => i.Message));
    }

    [Fact]
    public void TakeBatch_DataBudget_LimitsMessagesNotControl()
    {
        var outbox = new PriorityOutbox(8);
        outbox.TryEnqueue(Message(WirePriority.Normal));
        outbox.TryEnqueue(Message(WirePriority.Normal));
        outbox.TryEnqueueControl(new OutboxItem(BusFrameType.Pong, BusFrameFlagBits.None, BusErrorCode.None, null, null, 1));

        var n = outbox.TakeBatch(new OutboxItem[10], 1, out var messages);

        Assert.Equal(2, n);
        Assert.Equal(1, messages);
        Assert.Equal(1, outbox.DataCount);
    }

    [Fact]
    public void TryEnqueue_LaneFull_IsFullAndOtherLanesStillAccept()
    {
        var outbox = new PriorityOutbox(1);

        Assert.Equal(EnqueueResult.Enqueued, outbox.TryEnqueue(Message(WirePriority.Low)));
        Assert.Equal(EnqueueResult.Full, outbox.TryEnqueue(Message(WirePriority.Low)));
        Assert.Equal(EnqueueResult.Enqueued, outbox.TryEnqueue(Message(WirePriority.Critical)));
    }

    [Fact]
    public void TryEnqueue_AfterClose_IsClosed()
    {
        var outbox = new PriorityOutbox(4);
        outbox.Close();

        Assert.Equal(EnqueueResult.Closed, outbox.TryEnqueue(Message(WirePriority.Low)));
        Assert.Equal(ControlEnqueueResult.Closed, outbox.TryEnqueueControl(default));
    }

    [Fact]
    public async Task WaitAsync_Empty_CompletesWhenAMessageArrives()
    {
        var outbox = new PriorityOutbox(4);

        var wait = outbox.WaitAsync(10).AsTask();
        Assert.False(wait.IsCompleted);
        outbox.TryEnqueue(Message(WirePriority.High));

        await wait.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void TryEnqueueControl_BeyondCapacity_IsFullAndPressureFromHalf()
    {
        var outbox = new PriorityOutbox(4, 8);
        var pong = new OutboxItem(BusFrameType.Pong, BusFrameFlagBits.None, BusErrorCode.None, null, null, 1);

        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(i >= 4, outbox.ControlPressure);
            Assert.Equal(ControlEnqueueResult.Enqueued, outbox.TryEnqueueControl(pong));
        }

        Assert.Equal(ControlEnqueueResult.Full, outbox.TryEnqueueControl(pong));
        Assert.Equal(8, outbox.ControlCount);
    }

    [Fact]
    public async Task WaitControlDrainedAsync_UnderPressure_CompletesWhenTheWriterTookEnough()
    {
        var outbox = new PriorityOutbox(4, 8);
        for (var i = 0; i < 6; i++)
        {
            outbox.TryEnqueueControl(new OutboxItem(BusFrameType.Pong, BusFrameFlagBits.None, BusErrorCode.None, null, null, (ulong)i));
        }

        var wait = outbox.WaitControlDrainedAsync();
        Assert.False(wait.IsCompleted);
        outbox.TakeBatch(new OutboxItem[3], 0, out _);
        Assert.False(wait.IsCompleted);
        outbox.TakeBatch(new OutboxItem[1], 0, out _);

        await wait.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(2, outbox.ControlCount);
    }

    [Fact]
    public void CloseWith_FullControlQueue_EvictsOldestKeepsTheFinalFrameLast()
    {
        var outbox = new PriorityOutbox(4, 2);
        outbox.TryEnqueueControl(new OutboxItem(BusFrameType.Pong, BusFrameFlagBits.None, BusErrorCode.None, null, null, 1));
        outbox.TryEnqueueControl(new OutboxItem(BusFrameType.Pong, BusFrameFlagBits.None, BusErrorCode.None, null, null, 2));
        var final = new OutboxItem(BusFrameType.Error, BusFrameFlagBits.None, BusErrorCode.SlowReader, null, null, 0);

        Assert.True(outbox.CloseWith(final, out var evicted));
        var batch = new OutboxItem[4];
        var n = outbox.TakeBatch(batch, 4, out _);

        Assert.Equal(1UL, evicted.Ping);
        Assert.Equal(2, n);
        Assert.Equal(2UL, batch[0].Ping);
        Assert.Equal(BusErrorCode.SlowReader, batch[1].Code);
        Assert.True(outbox.IsClosed);
        Assert.False(outbox.CloseWith(final, out _));
    }

    [Fact]
    public void StopAccepting_RefusesMessagesButKeepsQueuedOnesAndControl()
    {
        var outbox = new PriorityOutbox(4);
        var queued = Message(WirePriority.Normal);
        outbox.TryEnqueue(queued);

        outbox.StopAccepting();

        Assert.Equal(EnqueueResult.Closed, outbox.TryEnqueue(Message(WirePriority.Normal)));
        Assert.Equal(ControlEnqueueResult.Enqueued, outbox.TryEnqueueControl(default));
        var batch = new OutboxItem[4];
        Assert.Equal(2, outbox.TakeBatch(batch, 4, out var messages));
        Assert.Equal(1, messages);
        Assert.Same(queued, batch[1].Message);
    }

    private static RoutedMessage Message(WirePriority priority) => new() { Priority = priority };
}
