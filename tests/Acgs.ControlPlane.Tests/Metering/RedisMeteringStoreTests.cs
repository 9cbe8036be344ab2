// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Metering;
using Acgs.ControlPlane.Metering;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Acgs.ControlPlane.Tests.Metering;

/// <summary>The Redis metering store on a real redis-server: a window id stored once however often it is sent, range and service filters.</summary>
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
}
