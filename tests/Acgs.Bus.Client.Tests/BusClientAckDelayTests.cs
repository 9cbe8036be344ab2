// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers.Binary;
using System.Text;
using Acgs.Contracts.BusWire;
using Xunit;

namespace Acgs.Bus.Client.Tests;

public class BusClientAckDelayTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AckDelay_TrafficStops_TimerWritesTheHeldAcks()
    {
        await using var host = await BusTestHost.StartAsync();
        await using var b = await BusClient.ConnectAsync(host.BusEndPoint, new BusClientOptions("agent-b")
        {
            TenantId = "t1",
            OnDelivery = static (in BusMessageView _, BusFrameFlagBits _) => { },
            AckDelay = TimeSpan.FromMilliseconds(50),
            AckMaxPending = 1000,
        });
        await using var a = await host.ConnectAsync("agent-a");

        // Each send waits for its ack: nothing else is written by b, so only the timer can write it.
        for (var i = 0; i < 5; i++)
        {
            var result = await a.SendAsync(a.CreateEnvelope("agent-b"), new byte[] { (byte)i }).WaitAsync(Wait);
            Assert.Equal(BusErrorCode.None, result.Code);
        }

        var burst = new Task<BusSendResult>[20];
        for (var i = 0; i < burst.Length; i++)
        {
            burst[i] = a.SendAsync(a.CreateEnvelope("agent-b"), new byte[] { (byte)i });
        }

        foreach (var result in await Task.WhenAll(burst).WaitAsync(Wait))
        {
            Assert.Equal(BusErrorCode.None, result.Code);
        }
    }

    [Fact]
    public async Task AckDelay_ManyMessages_EveryAckArrivesInDeliveryOrder()
    {
        const int Count = 5000;
        await using var host = await BusTestHost.StartAsync();
        var delivered = new List<int>(Count);
        await using var b = await BusClient.ConnectAsync(host.BusEndPoint, new BusClientOptions("agent-b")
        {
            TenantId = "t1",
            OnDelivery = (in BusMessageView message, BusFrameFlagBits _) =>
            {
                lock (delivered)
                {
                    delivered.Add(BinaryPrimitives.ReadInt32LittleEndian(message.Payload));
                }
            },
            AckDelay = TimeSpan.FromMilliseconds(1),
            AckMaxPending = 64,
        });
        var acked = new List<int>(Count);
        var failed = 0;
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var a = await BusClient.ConnectAsync(host.BusEndPoint, new BusClientOptions("agent-a")
        {
            TenantId = "t1",
            OnReply = (id, code, _) =>
            {
                if (code != BusErrorCode.None)
                {
                    Interlocked.Increment(ref failed);
                }

                lock (acked)
                {
                    acked.Add(int.Parse(Encoding.UTF8.GetString(id), System.Globalization.CultureInfo.InvariantCulture));
                    if (acked.Count == Count)
                    {
                        answered.TrySetResult();
                    }
                }
            },
        });

        var payload = new byte[4];
        for (var i = 0; i < Count; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(payload, i);
            a.Post(a.CreateEnvelope("agent-b", i.ToString(System.Globalization.CultureInfo.InvariantCulture)), payload);
            if (i % 500 == 499)
            {
                await Task.Delay(2);
            }
        }

        await answered.Task.WaitAsync(Wait);
        Assert.Equal(0, failed);
        lock (delivered)
        {
            Assert.Equal(Enumerable.Range(0, Count), delivered);
        }

        lock (acked)
        {
            Assert.Equal(Enumerable.Range(0, Count), acked);
        }
    }

    [Fact]
    public async Task AckDelay_Dispose_WritesTheHeldAcks()
    {
        const int Count = 3;
        await using var host = await BusTestHost.StartAsync();
        var deliveries = 0;
        var delivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var b = await BusClient.ConnectAsync(host.BusEndPoint, new BusClientOptions("agent-b")
        {
            TenantId = "t1",
            OnDelivery = (in BusMessageView _, BusFrameFlagBits _) =>
            {
                if (Interlocked.Increment(ref deliveries) == Count)
                {
                    delivered.TrySetResult();
                }
            },
            AckDelay = TimeSpan.FromHours(1),
            AckMaxPending = 1000,
        });
        await using var a = await host.ConnectAsync("agent-a");
        var sends = new Task<BusSendResult>[Count];
        for (var i = 0; i < Count; i++)
        {
            sends[i] = a.SendAsync(a.CreateEnvelope("agent-b"), new byte[] { (byte)i });
        }

        await delivered.Task.WaitAsync(Wait);

        // Delivered but held: the acks wait for the (hour-long) delay, the count bound or disposal.
        await a.PingAsync().WaitAsync(Wait);
        Assert.All(sends, send => Assert.False(send.IsCompleted));

        await b.DisposeAsync();
        foreach (var result in await Task.WhenAll(sends).WaitAsync(Wait))
        {
            Assert.Equal(BusErrorCode.None, result.Code);
        }
    }

    [Fact]
    public async Task AckDelay_CountBoundReached_WritesWithoutWaitingForTheDelay()
    {
        const int Count = 8;
        await using var host = await BusTestHost.StartAsync();
        await using var b = await BusClient.ConnectAsync(host.BusEndPoint, new BusClientOptions("agent-b")
        {
            TenantId = "t1",
            OnDelivery = static (in BusMessageView _, BusFrameFlagBits _) => { },
            AckDelay = TimeSpan.FromHours(1),
            AckMaxPending = Count,
        });
        await using var a = await host.ConnectAsync("agent-a");
        var sends = new Task<BusSendResult>[Count];
        for (var i = 0; i < Count; i++)
        {
            sends[i] = a.SendAsync(a.CreateEnvelope("agent-b"), new byte[] { (byte)i });
        }

        foreach (var result in await Task.WhenAll(sends).WaitAsync(Wait))
        {
            Assert.Equal(BusErrorCode.None, result.Code);
        }
    }

    [Fact]
    public async Task AckDelay_TwoClientsStopAfterSteadyTraffic_SharedFlusherWritesBothOnesHeldAcks()
    {
        await using var host = await BusTestHost.StartAsync();
        await using var b = await BusClient.ConnectAsync(host.BusEndPoint, new BusClientOptions("agent-b")
        {
            TenantId = "t1",
            OnDelivery = static (in BusMessageView _, BusFrameFlagBits _) => { },
            AckDelay = TimeSpan.FromMilliseconds(5),
            AckMaxPending = 100_000,
        });
        await using var c = await BusClient.ConnectAsync(host.BusEndPoint, new BusClientOptions("agent-c")
        {
            TenantId = "t1",
            OnDelivery = static (in BusMessageView _, BusFrameFlagBits _) => { },
            AckDelay = TimeSpan.FromMilliseconds(40),
            AckMaxPending = 100_000,
        });
        await using var a = await host.ConnectAsync("agent-a");

        // A steady stream to both (read batches write most acks, the flusher backs off), then it stops:
        // only the flusher can write the last held acks of each.
        var sends = new List<Task<BusSendResult>>();
        for (var i = 0; i < 60; i++)
        {
            sends.Add(a.SendAsync(a.CreateEnvelope("agent-b"), new byte[] { (byte)i }));
            sends.Add(a.SendAsync(a.CreateEnvelope("agent-c"), new byte[] { (byte)i }));
            await Task.Delay(1);
        }

        foreach (var result in await Task.WhenAll(sends).WaitAsync(Wait))
        {
            Assert.Equal(BusErrorCode.None, result.Code);
        }

        // And a lone message to each afterwards (the flusher forgot both clients once they held none).
        Assert.Equal(BusErrorCode.None, (await a.SendAsync(a.CreateEnvelope("agent-b"), new byte[] { 1 }).WaitAsync(Wait)).Code);
        Assert.Equal(BusErrorCode.None, (await a.SendAsync(a.CreateEnvelope("agent-c"), new byte[] { 1 }).WaitAsync(Wait)).Code);
    }
}
