// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using Acgs.ControlPlane.Replication;
using Acgs.Testing.Redis;
using StackExchange.Redis;

namespace Acgs.ControlPlane.Tests.Replication;

/// <summary>The one fan-out between replicas, on a real redis-server: two "replicas" are two fan-outs on one Redis.</summary>
public sealed class RedisReplicaFanoutTests : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private readonly RedisServer _redis;
    private ConnectionMultiplexer _a = null!;
    private ConnectionMultiplexer _b = null!;

    public RedisReplicaFanoutTests(RedisFixture redis)
    {
        _redis = redis.Server;
    }

    internal sealed record Note(string Origin, string Text) : IReplicaMessage;

    public async Task InitializeAsync()
    {
        _a = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        _b = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    private static async Task<T> NextAsync<T>(BlockingCollection<T> received)
    {
        var next = await Task.Run(() => received.TryTake(out var item, TimeSpan.FromSeconds(10)) ? item : default);
        return next ?? throw new TimeoutException("no message arrived");
    }

    [Fact]
    public async Task Publish_TwoReplicasTwoChannels_EachMessageReachesTheOtherReplicaOnItsChannelOnly()
    {
        var prefix = "fanout:" + Guid.NewGuid().ToString("N") + ":";
        var a = new RedisReplicaFanout(_a, prefix, "a");
        var b = new RedisReplicaFanout(_b, prefix, "b");
        using var onA = new BlockingCollection<string>();
        using var onB = new BlockingCollection<string>();
        var failures = new ConcurrentQueue<Exception>();
        await a.SubscribeAsync<Note>("one", n => onA.Add("one:" + n.Text), failures.Enqueue);
        await b.SubscribeAsync<Note>("one", n => onB.Add("one:" + n.Text), failures.Enqueue);
        await b.SubscribeAsync<Note>("two", n => onB.Add("two:" + n.Text), failures.Enqueue);

        Assert.True(a.Publish("one", new Note(a.Origin, "from-a"), failures.Enqueue));
        Assert.True(a.Publish("two", new Note(a.Origin, "also-from-a"), failures.Enqueue));
        Assert.True(b.Publish("one", new Note(b.Origin, "from-b"), failures.Enqueue));

        Assert.Equal(["one:from-a", "two:also-from-a"], new[] { await NextAsync(onB), await NextAsync(onB) }.Order(StringComparer.Ordinal));
        Assert.Equal("one:from-b", await NextAsync(onA));

        // A marker published after the own messages: had they not been skipped, one would most likely have arrived by now.
        Assert.True(b.Publish("one", new Note(b.Origin, "marker"), failures.Enqueue));
        Assert.Equal("one:marker", await NextAsync(onA));
        Assert.Empty(onA);
        Assert.Empty(onB);
        Assert.Empty(failures);
    }

    [Fact]
    public async Task Subscribe_UnreadableMessage_DroppedAndTheNextDelivered()
    {
        var prefix = "fanout:" + Guid.NewGuid().ToString("N") + ":";
        var a = new RedisReplicaFanout(_a, prefix, "a");
        var b = new RedisReplicaFanout(_b, prefix, "b");
        using var onB = new BlockingCollection<string>();
        await b.SubscribeAsync<Note>("one", n => onB.Add(n.Text), _ => { });

        await _a.GetSubscriber().PublishAsync(RedisChannel.Literal(prefix + "one"), "{not json");
        a.Publish("one", new Note(a.Origin, "readable"), _ => { });

        Assert.Equal("readable", await NextAsync(onB));
        Assert.Empty(onB);
    }

    [Fact]
    public async Task Unsubscribe_AfterwardsNothingArrives()
    {
        var prefix = "fanout:" + Guid.NewGuid().ToString("N") + ":";
        var a = new RedisReplicaFanout(_a, prefix, "a");
        var b = new RedisReplicaFanout(_b, prefix, "b");
        using var onB = new BlockingCollection<string>();
        await b.SubscribeAsync<Note>("one", n => onB.Add(n.Text), _ => { });
        await b.SubscribeAsync<Note>("two", n => onB.Add(n.Text), _ => { });

        await b.UnsubscribeAsync("one", _ => { });
        a.Publish("one", new Note(a.Origin, "unheard"), _ => { });
        a.Publish("two", new Note(a.Origin, "heard"), _ => { });

        Assert.Equal("heard", await NextAsync(onB));
        Assert.Empty(onB);
    }
}
