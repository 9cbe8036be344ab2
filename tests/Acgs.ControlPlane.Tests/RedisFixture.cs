// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Testing.Redis;

namespace Acgs.ControlPlane.Tests;

/// <summary>One real redis-server shared by a test class.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RedisServer.StartNewAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
