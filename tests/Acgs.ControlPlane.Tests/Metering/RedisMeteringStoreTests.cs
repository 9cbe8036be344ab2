// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Metering;
using Acgs.ControlPlane.Metering;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Acgs.ControlPlane.Tests.Metering;

/// <summary>
/// The Redis metering store on a real redis-server: a window id stored once however often it is sent, range and service
/// filters, and the retention: each window's key expires after it (Redis's own expiry), and the index drops the windows that
/// started before it (the store's <see cref="TimeProvider"/>).
/// </summary>
public sealed class RedisMeteringStoreTests : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 15, 0, 0, TimeSpan.Zero);
    private readonly RedisFixture _redis;
    private ConnectionMultiplexer? _connection;

    public RedisMeteringStoreTests(RedisFixture redis) => _redis = redis;

    public async Task InitializeAsync() => _connection = await ConnectionMultiplexer.ConnectAsync(_redis.Server.ConnectionString);

    public async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }

    private static MeteringWindow Window(string id, string service, long start) => new()
    {
        Id = id, Service = service, Node = "n1", StartUnixMs = start, EndUnixMs = start + 10_000,
        Rows = [new MeteringRow { Source = "a", Operation = "/api", Tenant = "-", StatusClass = 2, Count = 3 }],
    };

    [Fact]
    public async Task AddAsync_SameIdTwice_StoredOnceAndQueriedByRange()
    {
        var store = new RedisMeteringStore(_connection!, "test:" + Guid.NewGuid().ToString("N") + ":", new FakeTimeProvider(Now), new MeteringStoreOptions());
        var start = Now.ToUnixTimeMilliseconds();

        var first = await store.AddAsync([Window("w1", "ledger", start), Window("w2", "search", start + 10_000)], CancellationToken.None);
        var again = await store.AddAsync([Window("w1", "ledger", start), Window("w3", "ledger", start + 20_000)], CancellationToken.None);
        var ledger = await store.QueryAsync("ledger", start, start + 30_000, CancellationToken.None);
        var firstTwo = await store.QueryAsync(null, start, start + 20_000, CancellationToken.None);

        Assert.Equal((2, 1), (first, again));
        Assert.Equal(["w1", "w3"], ledger.Select(w => w.Id).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(["w1", "w2"], firstTwo.Select(w => w.Id).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(3, ledger[0].Rows[0].Count);
    }

    [Fact]
    public async Task AddAsync_WindowStored_KeyExpiresAfterTheRetention()
    {
        var prefix = "test:" + Guid.NewGuid().ToString("N") + ":";
        var retention = TimeSpan.FromHours(2);
        var store = new RedisMeteringStore(_connection!, prefix, new FakeTimeProvider(Now), new MeteringStoreOptions { Retention = retention });

        await store.AddAsync([Window("w1", "ledger", Now.ToUnixTimeMilliseconds())], CancellationToken.None);
        var ttl = await _connection!.GetDatabase().KeyTimeToLiveAsync(prefix + "metering:w:w1");

        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromTicks(1), retention);
    }

    [Fact]
    public async Task QueryAsync_WindowKeyExpired_WindowNoLongerAnswered()
    {
        var prefix = "test:" + Guid.NewGuid().ToString("N") + ":";
        var store = new RedisMeteringStore(_connection!, prefix, new FakeTimeProvider(Now), new MeteringStoreOptions { Retention = TimeSpan.FromMilliseconds(50) });
        var start = Now.ToUnixTimeMilliseconds();
        var database = _connection!.GetDatabase();

        await store.AddAsync([Window("w1", "ledger", start)], CancellationToken.None);
        for (var waited = 0; waited < 600 && await database.KeyExistsAsync(prefix + "metering:w:w1"); waited++)
        {
            await Task.Delay(50); // Redis expires the key on its own clock; polled for at most half a minute
        }

        var answered = await store.QueryAsync(null, start, start + 10_000, CancellationToken.None);

        Assert.False(await database.KeyExistsAsync(prefix + "metering:w:w1"));
        Assert.Empty(answered);
    }

    [Fact]
    public async Task AddAsync_EarlierWindowsPastTheRetention_DroppedFromTheIndexAndTheAnswer()
    {
        var prefix = "test:" + Guid.NewGuid().ToString("N") + ":";
        var time = new FakeTimeProvider(Now);
        var store = new RedisMeteringStore(_connection!, prefix, time, new MeteringStoreOptions { Retention = TimeSpan.FromHours(1) });
        var start = Now.ToUnixTimeMilliseconds();
        var database = _connection!.GetDatabase();
        await store.AddAsync([Window("old", "ledger", start), Window("kept", "ledger", start + (long)TimeSpan.FromMinutes(30).TotalMilliseconds)], CancellationToken.None);

        time.Advance(TimeSpan.FromMinutes(70)); // "old" started 70 min ago, "kept" 40 min ago
        await store.AddAsync([Window("new", "ledger", time.GetUtcNow().ToUnixTimeMilliseconds())], CancellationToken.None);
        var answered = await store.QueryAsync(null, start, time.GetUtcNow().ToUnixTimeMilliseconds() + 1, CancellationToken.None);

        Assert.Null(await database.SortedSetScoreAsync(prefix + "metering:index", "old"));
        Assert.NotNull(await database.SortedSetScoreAsync(prefix + "metering:index", "kept"));
        Assert.Equal(["kept", "new"], answered.Select(w => w.Id).Order(StringComparer.Ordinal).ToArray());
    }
}
