// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Acgs.ControlPlane.Tests.Distribution;
using Acgs.Testing.Redis;

namespace Acgs.ControlPlane.Tests.Recovery;

/// <summary>Two control-plane replicas on one real redis-server: a reset issued by one reaches the other's sidecars.</summary>
public sealed class RecoveryReplicaTests : IClassFixture<RedisFixture>
{
    private readonly RedisServer _redis;

    public RecoveryReplicaTests(RedisFixture redis)
    {
        _redis = redis.Server;
    }

    private Task<ControlPlaneHost> StartReplicaAsync(string name, string prefix) => ControlPlaneHost.StartAsync(new Dictionary<string, string?>
    {
        ["REDIS_URL"] = _redis.Url,
        ["ACGS_REDIS_PREFIX"] = prefix,
        ["ACGS_REPLICA_ID"] = name,
        ["ACGS_ADMIN_TOKEN"] = ControlPlaneHost.AdminToken,
        ["ACGS_RECOVERY_INITIAL_DELAY_MS"] = "60000",
    });

    private static JsonObject Report(string state) =>
        new() { ["clusters"] = new JsonArray(new JsonObject { ["name"] = "inbound|orders", ["state"] = state }) };

    [Fact]
    public async Task Success_OnOneReplica_ResetReachesSidecarOfTheOther()
    {
        var prefix = "rec:" + Guid.NewGuid().ToString("N") + ":";
        await using var a = await StartReplicaAsync("a", prefix);
        await using var b = await StartReplicaAsync("b", prefix);
        await using var onB = await WatchConnection.OpenAsync(b.Address, "frontend", "f1", "127.0.0.1:15006");
        await onB.NextSnapshotAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await a.Client.PutAsJsonAsync("/api/v1/health/orders/o1", Report("open"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await a.Client.PutAsJsonAsync("/api/v1/health/orders/o1", Report("closed"))).StatusCode);

        var line = await onB.NextSnapshotAsync(TimeSpan.FromSeconds(20));
        while (line["snapshot"]!["breaker_resets"] is null)
        {
            line = await onB.NextSnapshotAsync(TimeSpan.FromSeconds(20));
        }

        Assert.Equal("orders", (string?)line["snapshot"]!["breaker_resets"]![0]!["clusters"]![0]);
        var done = JsonNode.Parse(await a.Client.GetStringAsync("/api/v1/recovery/history"))!["tasks"]![0]!;
        Assert.Equal("succeeded", (string?)done["state"]);
        Assert.Equal(0, (int)done["reset_sidecars"]!);
        Assert.Equal(0, (int)JsonNode.Parse(await b.Client.GetStringAsync("/api/v1/recovery/tasks"))!["count"]!);
    }
}
