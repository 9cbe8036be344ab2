// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Acgs.ControlPlane.Tests.Distribution;
using Acgs.Testing.Redis;

namespace Acgs.ControlPlane.Tests.Discovery;

/// <summary>Agent reports made on one replica reach sidecars of the other (one real redis-server).</summary>
public sealed class AgentReportReplicaTests : IClassFixture<RedisFixture>
{
    private readonly RedisServer _redis;

    public AgentReportReplicaTests(RedisFixture redis)
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
    public async Task Report_ThroughOneReplica_ReachesSidecarOfTheOther()
    {
        var prefix = "agents:" + Guid.NewGuid().ToString("N") + ":";
        await using var a = await StartReplicaAsync("a", prefix);
        await using var b = await StartReplicaAsync("b", prefix);
        await using var hostOnA = await WatchConnection.OpenAsync(a.Address, "orders", "o1", "127.0.0.1:16006");
        await hostOnA.NextSnapshotAsync();
        await using var callerOnB = await WatchConnection.OpenAsync(b.Address, "vector-search", "v1", "127.0.0.1:15006");
        await callerOnB.NextSnapshotAsync();

        var report = new JsonObject { ["bus_address"] = "127.0.0.1:18080", ["agents"] = new JsonArray("agent-a") };
        Assert.Equal(HttpStatusCode.NoContent, (await a.Client.PutAsJsonAsync("/api/v1/discovery/orders/o1/agents", report)).StatusCode);

        JsonObject pushed;
        do
        {
            pushed = await callerOnB.NextSnapshotAsync();
        }
        while (pushed["snapshot"]!["agent_directory"]?["agent-a"] is null);

        Assert.Equal("127.0.0.1:18080", (string?)pushed["snapshot"]!["agent_directory"]!["agent-a"]);
        var listedOnB = JsonNode.Parse(await b.Client.GetStringAsync("/api/v1/discovery/agents"))!;
        Assert.Equal("127.0.0.1:18080", (string?)listedOnB["agent_directory"]!["agent-a"]);
    }
}
