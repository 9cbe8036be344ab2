// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Security.Cryptography;
using Acgs.Testing.Redis;

namespace Acgs.ControlPlane.Tests.Identity;

/// <summary>Two control-plane replicas on one real redis-server: one CA, and a single-use join token works once mesh-wide.</summary>
public sealed class RedisIdentityTests : IAsyncLifetime
{
    private readonly string _redisDirectory = ControlPlaneHost.NewDataDirectory();
    private RedisServer _redis = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_redisDirectory);
        _redis = await RedisServer.StartNewAsync(new RedisServerOptions { DataDirectory = _redisDirectory });
    }

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        Directory.Delete(_redisDirectory, recursive: true);
    }

    private Task<ControlPlaneHost> StartReplicaAsync(string name) => ControlPlaneHost.StartAsync(new Dictionary<string, string?>
    {
        ["REDIS_URL"] = _redis.Url,
        ["ACGS_ADMIN_TOKEN"] = ControlPlaneHost.AdminToken,
        ["ACGS_REPLICA_ID"] = name,
        ["ACGS_DATA_DIR"] = Path.Combine(_redisDirectory, name),
    });

    [Fact]
    public async Task Replicas_SharedRedis_OneCaAndSingleUseTokenOnceAcrossReplicas()
    {
        await using var first = await StartReplicaAsync("r1");
        await using var second = await StartReplicaAsync("r2");
        Assert.Equal(await first.Client.GetStringAsync("/api/v1/identity/trust-bundle"), await second.Client.GetStringAsync("/api/v1/identity/trust-bundle"));

        using var admin = first.AdminClient();
        var token = await Csrs.MintAsync(admin, "orders");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.Equal(HttpStatusCode.Created, (await Csrs.SignAsync(second.Client, Csrs.Body(Csrs.Forged(key), token))).StatusCode);
        await Csrs.AssertRefusedAsync(await Csrs.SignAsync(first.Client, Csrs.Body(Csrs.Forged(key), token)), 401, "join_token_used");
        Assert.False(Directory.Exists(Path.Combine(_redisDirectory, "r1", "identity")));
    }
}
