// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Testing;
using Acgs.Testing.Redis;
using StackExchange.Redis;
using Xunit;

namespace Acgs.Core.Tests.Redis;

/// <summary>The redis-server fixture itself (it lives in Acgs.Testing, which has no test project of its own).</summary>
public sealed class RedisServerTests
{
    [Fact]
    public async Task StartNewAsync_AnswersOnLoopbackPort()
    {
        await using var server = await RedisServer.StartNewAsync();

        Assert.True(server.IsRunning);
        Assert.Equal($"redis://127.0.0.1:{server.Port}/0", server.Url);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var db = connection.GetDatabase();
        await db.StringSetAsync("k", "v");
        Assert.Equal("v", (string?)await db.StringGetAsync("k"));
    }

    [Fact]
    public async Task StopAsync_ThenStartAsync_SamePortAndNoDataWithoutPersistence()
    {
        await using var server = await RedisServer.StartNewAsync();
        var port = server.Port;
        await SetAsync(server, "k", "v");

        await server.StopAsync();
        Assert.False(server.IsRunning);
        await server.StartAsync();

        Assert.Equal(port, server.Port);
        Assert.Null(await GetAsync(server, "k"));
    }

    [Fact]
    public async Task DataDirectory_KilledAndRestarted_KeepsData()
    {
        var directory = Path.Combine(Path.GetTempPath(), "acgs-redis-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var server = await RedisServer.StartNewAsync(new RedisServerOptions { DataDirectory = directory });
            await SetAsync(server, "k", "kept");

            await server.StopAsync();
            await server.StartAsync();

            Assert.Equal("kept", await GetAsync(server, "k"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task DisposeAsync_KillsServer()
    {
        var server = await RedisServer.StartNewAsync();
        await server.DisposeAsync();

        Assert.False(server.IsRunning);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => server.StartAsync());
    }

    [Fact]
    public void Find_Default_FindsInstalledServer()
    {
        Assert.True(File.Exists(RedisServerExecutable.Find()));
    }

    [Fact]
    public async Task StartAsync_MissingExecutable_FailsSayingAcgsTestInstallsIt()
    {
        await using var server = new RedisServer(new RedisServerOptions { ExecutablePath = "/nonexistent/redis-server" });

        var ex = await Assert.ThrowsAsync<RedisServerStartException>(() => server.StartAsync());

        Assert.Contains("./acgs test", ex.Message, StringComparison.Ordinal);
        Assert.False(server.IsRunning);
    }

    private static async Task SetAsync(RedisServer server, string key, string value)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        await connection.GetDatabase().StringSetAsync(key, value);
    }

    private static async Task<string?> GetAsync(RedisServer server, string key)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        return await connection.GetDatabase().StringGetAsync(key);
    }
}
