// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Testing.Redis;

namespace Acgs.ControlPlane.Tests.Distribution;

/// <summary>Two control-plane replicas on one real redis-server.</summary>
public sealed class ReplicaTests : IClassFixture<RedisFixture>
{
    private readonly RedisServer _redis;

    public ReplicaTests(RedisFixture redis)
    {
        _redis = redis.Server;
    }

    private Task<ControlPlaneHost> StartReplicaAsync(string name, string prefix) => ControlPlaneHost.StartAsync(new Dictionary<string, string?>
    {
        ["REDIS_URL"] = _redis.Url,
        ["ACGS_REDIS_PREFIX"] = prefix,
        ["ACGS_REPLICA_ID"] = name,
        ["ACGS_ADMIN_TOKEN"] = ControlPlaneHost.AdminToken,
    });

    [Fact]
    public async Task Activation_ThroughOneReplica_ReachesSidecarOfTheOther()
    {
        var prefix = "ha:" + Guid.NewGuid().ToString("N") + ":";
        await using var a = await StartReplicaAsync("a", prefix);
        await using var b = await StartReplicaAsync("b", prefix);
        await using var onB = await WatchConnection.OpenAsync(b.Address, "vector-search", "v1", "127.0.0.1:15006");
        await onB.NextSnapshotAsync();

        using var admin = a.AdminClient();
        await DistributionTests.ActivateBreakerAsync(admin, "ha-breaker", "mesh", failMax: 9);
        var pushed = await onB.NextSnapshotAsync();

        Assert.Equal(9, (int)pushed["snapshot"]!["inbound"]!["breaker"]!["fail_max"]!);
    }

    [Fact]
    public async Task Discovery_SidecarOnOneReplica_IsDestinationOnTheOther()
    {
        var prefix = "ha:" + Guid.NewGuid().ToString("N") + ":";
        await using var a = await StartReplicaAsync("a", prefix);
        await using var b = await StartReplicaAsync("b", prefix);
        await using var onA = await WatchConnection.OpenAsync(a.Address, "vector-search", "v1", "127.0.0.1:15006");
        await onA.NextSnapshotAsync();

        await using var onB = await WatchConnection.OpenAsync(b.Address, "audit-ledger", "a1", "127.0.0.1:16006");
        var updated = await onA.NextSnapshotAsync();

        Assert.Equal("http://127.0.0.1:16006", (string?)updated["snapshot"]!["clusters"]!["audit-ledger"]!["destinations"]![0]);
    }
}
