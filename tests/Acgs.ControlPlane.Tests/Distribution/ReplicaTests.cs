// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
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

    [Fact]
    public async Task EmergencyStop_EngagedThroughOneReplica_SidecarOfTheOtherLosesFaultRules()
    {
        var prefix = "ha:" + Guid.NewGuid().ToString("N") + ":";
        await using var a = await StartReplicaAsync("a", prefix);
        await using var b = await StartReplicaAsync("b", prefix);
        await using var onB = await WatchConnection.OpenAsync(b.Address, "vector-search", "v1", "127.0.0.1:15006");
        await onB.NextSnapshotAsync();
        using var admin = a.AdminClient();
        var fault = PolicyDocuments.Document("ha-chaos", "FaultInjection", "vector-search", new JsonObject { ["delay_ms"] = 100, ["duration_seconds"] = 300 });
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/policies", new JsonObject { ["id"] = "ha-chaos" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/policies/ha-chaos/versions", PolicyDocuments.VersionBody("1.0.0", fault))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/api/v1/policies/ha-chaos/activate?version=1.0.0", null)).StatusCode);
        Assert.Single((await onB.NextSnapshotAsync())["snapshot"]!["fault_rules"]!.AsArray());

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/v1/chaos/emergency-stop", new JsonObject { ["reason"] = "ha drill" })).StatusCode);
        var stopped = await onB.NextSnapshotAsync();

        Assert.Empty(stopped["snapshot"]!["fault_rules"]?.AsArray() ?? []);
        Assert.True((bool)JsonNode.Parse(await b.Client.GetStringAsync("/api/v1/chaos/emergency-stop"))!["engaged"]!);
    }
}
