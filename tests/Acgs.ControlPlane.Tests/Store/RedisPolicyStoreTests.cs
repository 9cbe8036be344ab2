// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Store;
using Acgs.Testing.Redis;
using StackExchange.Redis;

namespace Acgs.ControlPlane.Tests.Store;

/// <summary>The store contract against a real redis-server (one per test class; a key prefix per test).</summary>
public sealed class RedisPolicyStoreTests : PolicyStoreContractTests, IClassFixture<RedisFixture>, IAsyncLifetime
{
    private readonly RedisServer _redis;
    private ConnectionMultiplexer? _connection;

    public RedisPolicyStoreTests(RedisFixture redis)
    {
        _redis = redis.Server;
    }

    public async Task InitializeAsync() => _connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);

    internal override Task<IPolicyStore> CreateStoreAsync() =>
        Task.FromResult<IPolicyStore>(new RedisPolicyStore(_connection!, "test:" + Guid.NewGuid().ToString("N") + ":"));

    [Fact]
    public async Task ListAsync_AnotherReplicaCreatesChangesAndDeletes_EachListSeesTheStoreAsItIs()
    {
        var prefix = "test:" + Guid.NewGuid().ToString("N") + ":";
        var store = new RedisPolicyStore(_connection!, prefix);
        var replica = new RedisPolicyStore(_connection!, prefix);
        await store.CommitAsync(null, Policy("b"), Draft("b"), default);
        Assert.Equal(["b"], (await store.ListAsync(default)).Select(p => p.Id));

        await replica.CommitAsync(null, Policy("a"), Draft("a"), default);
        await replica.CommitAsync(null, Policy("c"), Draft("c"), default);
        await replica.CommitAsync(Policy("b"), Policy("b", revision: 2) with { Description = "changed" }, Draft("b", "policy.update"), default);
        var listed = await store.ListAsync(default);
        Assert.Equal(["a", "b", "c"], listed.Select(p => p.Id));
        Assert.Equal("changed", listed[1].Description);
        Assert.Equal(2, listed[1].Revision);

        Assert.Equal(CommitStatus.Committed, (await replica.DeleteAsync(listed[1], Draft("b", "policy.delete"), default)).Status);
        Assert.Equal(["a", "c"], (await store.ListAsync(default)).Select(p => p.Id));
        Assert.Null(await store.GetAsync("b", default));
    }

    public async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }
}
