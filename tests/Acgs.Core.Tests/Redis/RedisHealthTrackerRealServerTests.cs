// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.Redis;
using Acgs.Testing;
using Acgs.Testing.Redis;
using StackExchange.Redis;
using Xunit;

namespace Acgs.Core.Tests.Redis;

/// <summary>The tracker against a real redis-server started on a free loopback port.</summary>
public sealed class RedisHealthTrackerRealServerTests
{
    [Fact]
    public async Task Tracker_ServerStoppedAndRestarted_UnhealthyAfterThreeFailuresThenHealthyAfterOneSuccess()
    {
        await using var server = await RedisServer.StartNewAsync();
        var options = RedisOptions.Parse(new Dictionary<string, string?>
        {
            ["REDIS_URL"] = server.Url,
            ["REDIS_SOCKET_TIMEOUT"] = "5",
        });
        await using var connection = await ConnectionMultiplexer.ConnectAsync(options.ToConfigurationOptions());
        await using var tracker = new RedisHealthTracker(connection, new RedisHealthTrackerOptions { PingTimeout = TimeSpan.FromSeconds(5) });
        var changes = new List<bool>();
        tracker.HealthChanged += (_, e) =>
        {
            lock (changes)
            {
                changes.Add(e.IsHealthy);
            }
        };

        // abortConnect=false: on a loaded machine the first handshake can miss its timeout and the multiplexer
        // connects in the background; the tracker's story starts once it is connected.
        await WaitUntilConnectedAsync(connection);
        Assert.True(await tracker.CheckOnceAsync(), tracker.LastError);
        Assert.True(tracker.IsHealthy);

        await server.StopAsync();
        Assert.False(server.IsRunning);
        Assert.False(await tracker.CheckOnceAsync());
        Assert.False(await tracker.CheckOnceAsync());
        Assert.True(tracker.IsHealthy);
        Assert.Empty(changes);
        Assert.False(await tracker.CheckOnceAsync());
        Assert.False(tracker.IsHealthy);
        Assert.Equal(3, tracker.ConsecutiveFailures);

        var port = server.Port;
        await server.StartAsync();
        Assert.Equal(port, server.Port);

        // The multiplexer reconnects in the background; checks fail until it has, then one success is enough.
        await Eventually.TrueAsync(
            async () =>
            {
                var ok = await tracker.CheckOnceAsync();
                Assert.True(ok || !tracker.IsHealthy); // unhealthy until a check succeeds
                return ok;
            },
            "the tracker sees the restarted server",
            TimeSpan.FromSeconds(30));

        Assert.True(tracker.IsHealthy);
        Assert.Equal(0, tracker.ConsecutiveFailures);
        Assert.Equal([false, true], changes);
    }

    [Fact]
    public async Task Tracker_Started_PingsRealServerInBackground()
    {
        await using var server = await RedisServer.StartNewAsync();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        await WaitUntilConnectedAsync(connection);
        await using var tracker = new RedisHealthTracker(connection, new RedisHealthTrackerOptions { Interval = TimeSpan.FromMilliseconds(50) });

        tracker.Start();

        await Eventually.TrueAsync(() => tracker.LastCheckedAt is not null);

        Assert.True(tracker.IsHealthy);
        Assert.Null(tracker.LastError);
    }

    private static Task WaitUntilConnectedAsync(ConnectionMultiplexer connection) =>
        Eventually.TrueAsync(() => connection.IsConnected, "the multiplexer connects to the test server", TimeSpan.FromSeconds(30));
}
