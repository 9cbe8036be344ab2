// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.BusWire;
using Acgs.Sidecar.Bus;
using Xunit;

namespace Acgs.Sidecar.Tests.Bus;

public class BusWriteBatchTests
{
    [Fact]
    public void TryEnqueue_NoBatchOpen_WakesTheWriterAtOnce()
    {
        var outbox = new PriorityOutbox(8);
        var wait = outbox.WaitAsync(1);
        Assert.False(wait.IsCompleted);

        outbox.TryEnqueue(Message());

        Assert.True(wait.IsCompleted);
    }

    [Fact]
    public void End_WakesDeferredDuringTheBatch_OnceEachAfterAllFramesAreQueued()
    {
        var first = new PriorityOutbox(8);
        var second = new PriorityOutbox(8);
        var firstWait = first.WaitAsync(1);
        var secondWait = second.WaitAsync(1);

        BusWriteBatch.Begin();
        try
        {
            first.TryEnqueue(Message());
            first.TryEnqueue(Message());
            second.TryEnqueueControl(new OutboxItem(BusFrameType.Pong, BusFrameFlagBits.None, BusErrorCode.None, null, null, 1));
            Assert.False(firstWait.IsCompleted);
            Assert.False(secondWait.IsCompleted);
        }
        finally
        {
            BusWriteBatch.End();
        }

        Assert.True(firstWait.IsCompleted);
        Assert.True(secondWait.IsCompleted);
        Assert.Equal(2, first.TakeBatch(new OutboxItem[8], 8, out _));
    }

    [Fact]
    public void End_NestedBatch_OnlyTheOutermostEndWakes()
    {
        var outbox = new PriorityOutbox(8);
        var wait = outbox.WaitAsync(1);

        BusWriteBatch.Begin();
        BusWriteBatch.Begin();
        outbox.TryEnqueue(Message());
        BusWriteBatch.End();
        Assert.False(wait.IsCompleted);
        BusWriteBatch.End();

        Assert.True(wait.IsCompleted);
    }

    [Fact]
    public void End_CloseDuringBatch_WakesTheWriterWhichSeesTheOutboxClosed()
    {
        var outbox = new PriorityOutbox(8);
        var wait = outbox.WaitAsync(1);

        BusWriteBatch.Begin();
        outbox.Close();
        Assert.False(wait.IsCompleted);
        BusWriteBatch.End();

        Assert.True(wait.IsCompleted);
        Assert.True(outbox.IsClosed);
    }

    [Fact]
    public void End_AfterTheBatch_LaterWakesOnTheThreadAreImmediateAgain()
    {
        var outbox = new PriorityOutbox(8);
        BusWriteBatch.Begin();
        BusWriteBatch.End();
        var wait = outbox.WaitAsync(1);

        outbox.TryEnqueue(Message());

        Assert.True(wait.IsCompleted);
    }

    private static RoutedMessage Message() => new() { Priority = WirePriority.Normal };
}
