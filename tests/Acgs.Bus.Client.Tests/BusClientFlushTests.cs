// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Buffers.Binary;
using Acgs.Contracts.BusWire;
using Xunit;

namespace Acgs.Bus.Client.Tests;

public class BusClientFlushTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task PostRawDeferred_FlushOnCallerThread_DeliversEveryMessageInOrderAndAcknowledges()
    {
        const int Count = 1000;
        await using var host = await BusTestHost.StartAsync();
        var order = new List<int>();
        var delivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var b = await host.ConnectAsync("agent-b", onDelivery: (in BusMessageView message, BusFrameFlagBits _) =>
        {
            lock (order)
            {
                order.Add(BinaryPrimitives.ReadInt32LittleEndian(message.Payload));
                if (order.Count == Count)
                {
                    delivered.TrySetResult();
                }
            }
        });
        var acked = 0;
        var failed = 0;
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var a = await BusClient.ConnectAsync(host.BusEndPoint, new BusClientOptions("agent-a")
        {
            TenantId = "t1",
            OnReply = (_, code, _) =>
            {
                if (code != BusErrorCode.None)
                {
                    Interlocked.Increment(ref failed);
                }

                if (Interlocked.Increment(ref acked) == Count)
                {
                    answered.TrySetResult();
                }
            },
        });

        var frame = new ArrayBufferWriter<byte>();
        var payload = new byte[4];
        for (var i = 0; i < Count; i++)
        {
            frame.ResetWrittenCount();
            BinaryPrimitives.WriteInt32LittleEndian(payload, i);
            BusFrameWriter.WriteMessage(frame, BusFrameType.Send, a.CreateEnvelope("agent-b", "m-" + i), payload);
            a.PostRaw(frame.WrittenSpan, flush: false);
            if (i % 7 == 6)
            {
                a.Flush();
            }
        }

        a.Flush();
        await delivered.Task.WaitAsync(Wait);
        await answered.Task.WaitAsync(Wait);

        Assert.Equal(Enumerable.Range(0, Count), order);
        Assert.Equal(0, failed);
    }
}
