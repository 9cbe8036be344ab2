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

    public async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }
}
