// Constitutional Hash: cdd01ef066bc6cf2

using System.Text;
using Acgs.Contracts.BusWire;
using Acgs.Core.Redis;
using Acgs.Sidecar.Bus;
using Acgs.Testing.Redis;
using Xunit;

namespace Acgs.Bus.Client.Tests;

public class BusPeerLinkTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task SendAsync_PeerSidecarStoppedWithoutStore_IsUnavailableNotInternal()
    {
        await using var host1 = await BusTestHost.StartAsync();
        var host2 = await BusTestHost.StartAsync();
        host1.Directory.Update(new Dictionary<string, string> { ["agent-b"] = host2.BusAddress });
        await using var a = await host1.ConnectAsync("agent-a");
        await using (var b = await host2.ConnectAsync("agent-b"))
        {
            Assert.True((await a.SendAsync(a.CreateEnvelope("agent-b", "before"), default).WaitAsync(Wait)).IsSuccess);
        }

        await host2.DisposeAsync();
        var broken = await a.SendAsync(a.CreateEnvelope("agent-b", "after-1"), default).WaitAsync(Wait);
        var again = await a.SendAsync(a.CreateEnvelope("agent-b", "after-2"), default).WaitAsync(Wait);

        Assert.Equal(BusErrorCode.Unavailable, broken.Code);
        Assert.Equal(BusErrorCode.Unavailable, again.Code);
    }

    [Fact]
    public async Task SendAsync_PeerSidecarNeverStarted_IsUnavailable()
    {
        await using var host1 = await BusTestHost.StartAsync(new BusOptions { PeerRetryDelay = TimeSpan.Zero });
        host1.Directory.Update(new Dictionary<string, string> { ["agent-b"] = "127.0.0.1:1" });
        await using var a = await host1.ConnectAsync("agent-a");

        var result = await a.SendAsync(a.CreateEnvelope("agent-b", "m-1"), default).WaitAsync(Wait);

        Assert.Equal(BusErrorCode.Unavailable, result.Code);
    }

    [Fact]
    public async Task SendAsync_PeerSidecarStoppedWithStore_IsStoredAndDeliveredInOrderWhenTheAgentConnects()
    {
        await using var redis = await RedisServer.StartNewAsync();
        var redisOptions = RedisOptions.Parse(new Dictionary<string, string?> { ["REDIS_URL"] = redis.Url });
        var options = new BusOptions { UseStore = true };
        await using var host1 = await BusTestHost.StartAsync(options, redisOptions);
        var host2 = await BusTestHost.StartAsync(options, redisOptions);
        host1.Directory.Update(new Dictionary<string, string> { ["agent-b"] = host2.BusAddress });
        await using var a = await host1.ConnectAsync("agent-a");
        await using (var b = await host2.ConnectAsync("agent-b"))
        {
            // Success (delivered, or stored while host2 replays agent-b's stream): the link to host2 is up.
            Assert.True((await a.SendAsync(a.CreateEnvelope("agent-b", "live"), default).WaitAsync(Wait)).IsSuccess);
        }

        await host2.DisposeAsync();
        for (var i = 1; i <= 3; i++)
        {
            var result = await a.SendAsync(a.CreateEnvelope("agent-b", $"s-{i}"), Encoding.UTF8.GetBytes($"p{i}")).WaitAsync(Wait);
            Assert.True(result.IsSuccess, result.Code.ToWireName());
            Assert.True(result.Stored);
        }

        await using var host3 = await BusTestHost.StartAsync(options, redisOptions);
        await using var moved = await host3.ConnectAsync("agent-b");
        var received = new List<string>();
        while (received.Count < 3)
        {
            var delivery = await moved.ReceiveAsync().AsTask().WaitAsync(Wait);
            Assert.True(delivery.Redelivered);
            if (delivery.Envelope.MessageId != "live")
            {
                // "live" itself may come again (at-least-once) if host2 stored it and its XDEL was not done yet.
                received.Add(Encoding.UTF8.GetString(delivery.Payload.Span));
            }
        }

        Assert.Equal(["p1", "p2", "p3"], received);
    }

    [Fact]
    public async Task DirectoryUpdate_WhileRouting_EveryMessageIsAnsweredAndDelivered()
    {
        await using var host1 = await BusTestHost.StartAsync();
        await using var host2 = await BusTestHost.StartAsync();
        host1.Directory.Update(new Dictionary<string, string> { ["agent-b"] = host2.BusAddress });
        await using var b = await host2.ConnectAsync("agent-b");
        await using var a = await host1.ConnectAsync("agent-a");
        using var stop = new CancellationTokenSource();
        var updates = Task.Run(() =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                var entries = new Dictionary<string, string> { ["agent-b"] = host2.BusAddress };
                if (n++ % 2 == 0)
                {
                    entries["agent-z"] = "127.0.0.1:9";
                }

                host1.Directory.Update(entries);
                Thread.Yield();
            }

            return n;
        });

        var sends = new List<Task<BusSendResult>>();
        for (var i = 0; i < 2000; i++)
        {
            sends.Add(a.SendAsync(a.CreateEnvelope("agent-b", $"m-{i}"), default));
        }

        var results = await Task.WhenAll(sends).WaitAsync(Wait);
        await stop.CancelAsync();
        var updated = await updates;

        Assert.True(updated > 1);
        Assert.All(results, r => Assert.True(r.IsSuccess, r.Code.ToWireName()));
    }
}
