// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Discovery;
using Acgs.ControlPlane.Hosting;
using Acgs.ControlPlane.Tests.Distribution;
using StackExchange.Redis;

namespace Acgs.ControlPlane.Tests.Discovery;

/// <summary>
/// The directory's shared half read by another replica (one real redis-server): a registration that changes between two
/// reads is listed as it is now (a read reuses the parse of unchanged entries only), and an unreadable entry is left out
/// without hiding the others.
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

    private ServiceDirectory Replica(string id) =>
        new(new ControlPlaneOptions { RedisKeyPrefix = _prefix, ReplicaId = id, DiscoveryWarmUp = TimeSpan.Zero }, TimeProvider.System, _connection);

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
