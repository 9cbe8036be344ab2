// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Discovery;
using Acgs.ControlPlane.Hosting;
using Acgs.ControlPlane.Tests.Distribution;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Acgs.ControlPlane.Tests.Discovery;

/// <summary>
/// The directory's shared half read by another replica (one real redis-server): a registration that changes between two
/// reads is listed as it is now (a read reuses the parse of unchanged entries only), and an unreadable entry is left out
/// without hiding the others. A read is reused while the change token every write replaces is the same (and for at most
/// <see cref="ServiceDirectory.SharedReadReuse"/>), with expiry still judged at each read.
/// </summary>
public sealed class SharedDirectoryTests : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private readonly RedisFixture _redis;
    private readonly string _prefix = "directory:" + Guid.NewGuid().ToString("N") + ":";
    private ConnectionMultiplexer _connection = null!;

    public SharedDirectoryTests(RedisFixture redis)
    {
        _redis = redis;
    }

    public async Task InitializeAsync() => _connection = await ConnectionMultiplexer.ConnectAsync(_redis.Server.ConnectionString);

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    private ServiceDirectory Replica(string id, TimeProvider? time = null) =>
        new(new ControlPlaneOptions { RedisKeyPrefix = _prefix, ReplicaId = id, DiscoveryWarmUp = TimeSpan.Zero }, time ?? TimeProvider.System, _connection);

    [Fact]
    public async Task ListAsync_OtherReplicaMovesASidecarBetweenReads_ListsItsNewAddress()
    {
        using var a = Replica("a");
        using var b = Replica("b");
        await a.RegisterAsync("orders", "o1", "10.0.0.1:15006");
        await a.RegisterAsync("billing", "b1", "10.0.0.2:15006");
        Assert.Equal("10.0.0.1:15006", Address(await b.ListAsync(), "orders|o1"));

        await a.RegisterAsync("orders", "o1", "10.0.0.9:15006");
        var second = await b.ListAsync();

        Assert.Equal("10.0.0.9:15006", Address(second, "orders|o1"));
        Assert.Equal("10.0.0.2:15006", Address(second, "billing|b1"));
    }

    [Fact]
    public async Task ListAsync_UnreadableSharedEntry_LeftOutOthersListed()
    {
        using var a = Replica("a");
        using var b = Replica("b");
        await a.RegisterAsync("orders", "o1", "10.0.0.1:15006");
        await _connection.GetDatabase().HashSetAsync(_prefix + "endpoints", "billing|b1", "{not json");

        var listed = await b.ListAsync();

        Assert.Equal("10.0.0.1:15006", Address(listed, "orders|o1"));
        Assert.DoesNotContain(listed, static e => e.Key == "billing|b1");
    }

    [Fact]
    public async Task ListAsync_NothingWrittenSinceTheLastRead_ReusesItUntilAWriteReplacesTheToken()
    {
        using var a = Replica("a");
        using var b = Replica("b");
        await a.RegisterAsync("orders", "o1", "10.0.0.1:15006");

        var first = await b.ListAsync();
        var second = await b.ListAsync();
        var afterTwo = b.SharedReads;
        await a.RegisterAsync("billing", "b1", "10.0.0.2:15006");
        await a.ReportAgentsAsync("orders", "o1", "10.0.0.1:15010", ["agent-1"]);
        var third = await b.ListAsync();

        Assert.Equal((1L, 1L), afterTwo);
        Assert.Equal("10.0.0.1:15006", Address(first, "orders|o1"));
        Assert.Equal("10.0.0.1:15006", Address(second, "orders|o1"));
        Assert.Equal((2L, 1L), b.SharedReads);
        Assert.Equal("10.0.0.2:15006", Address(third, "billing|b1"));
        Assert.Equal(["agent-1"], Single(third, "orders|o1").Agents);
    }

    [Fact]
    public async Task ListAsync_OtherReplicaRefreshedBetweenReads_ReadsWholeAgain()
    {
        using var a = Replica("a");
        using var b = Replica("b");
        await a.RegisterAsync("orders", "o1", "10.0.0.1:15006");
        await b.ListAsync();
        await b.ListAsync();

        await a.RefreshAsync();
        await b.ListAsync();

        Assert.Equal((2L, 1L), b.SharedReads);
    }

    [Fact]
    public async Task ListAsync_OtherReplicaUnregistersBetweenReads_GoneFromTheNextRead()
    {
        using var a = Replica("a");
        using var b = Replica("b");
        await a.RegisterAsync("orders", "o1", "10.0.0.1:15006");
        await a.RegisterAsync("billing", "b1", "10.0.0.2:15006");
        Assert.NotNull(Address(await b.ListAsync(), "billing|b1"));

        await a.UnregisterAsync("billing", "b1");
        var listed = await b.ListAsync();

        Assert.Null(Address(listed, "billing|b1"));
        Assert.NotNull(Address(listed, "orders|o1"));
        Assert.Equal(2L, b.SharedReads.Whole);
    }

    [Fact]
    public async Task ListAsync_ReusedRead_StillLeavesOutARegistrationThatExpiredSince()
    {
        var now = DateTimeOffset.UtcNow;
        var writerTime = new FakeTimeProvider(now - ServiceDirectory.Ttl + TimeSpan.FromSeconds(5)); // its registration expires at now + 5 s
        var readerTime = new FakeTimeProvider(now);
        using var a = Replica("a", writerTime);
        using var b = Replica("b", readerTime);
        await a.RegisterAsync("orders", "o1", "10.0.0.1:15006");
        Assert.NotNull(Address(await b.ListAsync(), "orders|o1"));

        readerTime.Advance(TimeSpan.FromSeconds(6)); // within SharedReadReuse: the read is reused, its expiry judged now
        var listed = await b.ListAsync();

        Assert.Null(Address(listed, "orders|o1"));
        Assert.Equal((1L, 1L), b.SharedReads);
    }

    [Fact]
    public async Task ListAsync_WriteThatKeptTheToken_SeenOnceTheReuseBoundHasPassed()
    {
        var readerTime = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var a = Replica("a");
        using var b = Replica("b", readerTime);
        await a.RegisterAsync("orders", "o1", "10.0.0.1:15006");
        Assert.NotNull(Address(await b.ListAsync(), "orders|o1"));

        // A replica of an older version writes without replacing the token.
        var stray = new ServiceEndpoint { ServiceName = "billing", NodeId = "b1", Address = "10.0.0.2:15006", Replica = "old", ExpiresAt = DateTimeOffset.UtcNow.AddHours(1) };
        await _connection.GetDatabase().HashSetAsync(_prefix + "endpoints", stray.Key, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(stray, Acgs.ControlPlane.Store.StoreJson.Options));
        var beforeBound = await b.ListAsync();
        readerTime.Advance(ServiceDirectory.SharedReadReuse);
        var afterBound = await b.ListAsync();

        Assert.Null(Address(beforeBound, "billing|b1"));
        Assert.Equal("10.0.0.2:15006", Address(afterBound, "billing|b1"));
    }

    private static ServiceEndpoint Single(IReadOnlyCollection<ServiceEndpoint> endpoints, string key)
    {
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Key == key)
            {
                return endpoint;
            }
        }

        throw new InvalidOperationException(key + " is not listed");
    }

    private static string? Address(IReadOnlyCollection<ServiceEndpoint> endpoints, string key)
    {
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Key == key)
            {
                return endpoint.Address;
            }
        }

        return null;
    }
}
