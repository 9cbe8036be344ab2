// Constitutional Hash: cdd01ef066bc6cf2

using System.Text;
using Acgs.Core.Redis;
using Acgs.Sidecar.Bus;
using Acgs.Testing;
using Acgs.Testing.Redis;
using StackExchange.Redis;
using Xunit;

namespace Acgs.Bus.Client.Tests;

public class BusOfflineStoreTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task SendAsync_OfflineAgent_IsStoredInRedisAndDeliveredInOrderAfterSidecarRestart()
    {
        await using var redis = await RedisServer.StartNewAsync();
        var redisOptions = RedisOptions.Parse(new Dictionary<string, string?> { ["REDIS_URL"] = redis.Url });
        var options = new BusOptions { UseStore = true };

        var host = await BusTestHost.StartAsync(options, redisOptions);
        await using (var a = await host.ConnectAsync("agent-a"))
        {
            for (var i = 1; i <= 3; i++)
            {
                var result = await a.SendAsync(a.CreateEnvelope("agent-b", $"s-{i}"), Encoding.UTF8.GetBytes($"p{i}")).WaitAsync(Wait);
                Assert.True(result.IsSuccess);
                Assert.True(result.Stored);
            }
        }

        await host.DisposeAsync();
        await using var check = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        Assert.Equal(3, await check.GetDatabase().StreamLengthAsync("acgs:bus:agent:agent-b"));

        await using var restarted = await BusTestHost.StartAsync(options, redisOptions);
        await using var b = await restarted.ConnectAsync("agent-b", autoAck: false);
        var received = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var delivery = await b.ReceiveAsync().AsTask().WaitAsync(Wait);
            Assert.True(delivery.Redelivered);
            received.Add(delivery.Envelope.MessageId + "=" + Encoding.UTF8.GetString(delivery.Payload.Span));
        }

        Assert.Equal(["s-1=p1", "s-2=p2", "s-3=p3"], received);
        Assert.Equal(3, await check.GetDatabase().StreamLengthAsync("acgs:bus:agent:agent-b"));

        b.Ack("s-1");
        b.Ack("s-2");
        b.Ack("s-3");
        await b.PingAsync().WaitAsync(Wait);
        var left = await Eventually.ValueAsync(() => check.GetDatabase().StreamLengthAsync("acgs:bus:agent:agent-b"), length => length == 0);
        Assert.Equal(0, left);
    }

    [Fact]
    public async Task SendAsync_AgentConnectedDuringReplay_GetsStoredThenLiveMessages()
    {
        await using var redis = await RedisServer.StartNewAsync();
        var redisOptions = RedisOptions.Parse(new Dictionary<string, string?> { ["REDIS_URL"] = redis.Url });
        await using var host = await BusTestHost.StartAsync(new BusOptions { UseStore = true }, redisOptions);
        await using var a = await host.ConnectAsync("agent-a");
        Assert.True((await a.SendAsync(a.CreateEnvelope("agent-b", "stored"), default).WaitAsync(Wait)).Stored);

        await using var b = await host.ConnectAsync("agent-b");
        var first = await b.ReceiveAsync().AsTask().WaitAsync(Wait);
        var live = await a.SendAsync(a.CreateEnvelope("agent-b", "live"), default).WaitAsync(Wait);
        var second = await b.ReceiveAsync().AsTask().WaitAsync(Wait);

        Assert.Equal("stored", first.Envelope.MessageId);
        Assert.True(live.IsSuccess);
        Assert.Equal("live", second.Envelope.MessageId);
    }
}
