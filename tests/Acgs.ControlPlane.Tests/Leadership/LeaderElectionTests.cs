// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Acgs.Testing;
using Acgs.Testing.Redis;
using StackExchange.Redis;

namespace Acgs.ControlPlane.Tests.Leadership;

/// <summary>Leader election and health replication of control-plane replicas on one real redis-server.</summary>
public sealed class LeaderElectionTests : IClassFixture<RedisFixture>
{
    private readonly RedisServer _redis;

    public LeaderElectionTests(RedisFixture redis)
    {
        _redis = redis.Server;
    }

    internal static Dictionary<string, string?> ReplicaSettings(RedisServer redis, string name, string prefix) => new()
    {
        ["REDIS_URL"] = redis.Url,
        ["ACGS_REDIS_PREFIX"] = prefix,
        ["ACGS_REPLICA_ID"] = name,
        ["ACGS_ADMIN_TOKEN"] = ControlPlaneHost.AdminToken,
        ["ACGS_LEADER_LEASE_SECONDS"] = "2",
    };

    internal static async Task<JsonNode> LeaderAsync(HttpClient client) => JsonNode.Parse(await client.GetStringAsync("/api/v1/leader"))!;

    [Fact]
    public async Task Election_TwoReplicas_ExactlyOneLeadsAndBothNameIt()
    {
        var prefix = "lead:" + Guid.NewGuid().ToString("N") + ":";
        await using var a = await ControlPlaneHost.StartAsync(ReplicaSettings(_redis, "a", prefix));
        await using var b = await ControlPlaneHost.StartAsync(ReplicaSettings(_redis, "b", prefix));

        await Eventually.TrueAsync(async () => (string?)(await LeaderAsync(b.Client))["leader"]?["replica"] == "a", "b follows a");
        var onA = await LeaderAsync(a.Client);
        var onB = await LeaderAsync(b.Client);

        Assert.Equal("elected", (string?)onA["mode"]);
        Assert.True((bool)onA["is_leader"]!);
        Assert.False((bool)onB["is_leader"]!);
        Assert.Equal(a.Address.GetLeftPart(UriPartial.Authority), (string?)onB["leader"]!["url"]);
        Assert.Contains("acgs_controlplane_leader 1", await a.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);
        Assert.Contains("acgs_controlplane_leader 0", await b.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_Leader_OtherReplicaLeadsWithinALease()
    {
        var prefix = "lead:" + Guid.NewGuid().ToString("N") + ":";
        var a = await ControlPlaneHost.StartAsync(ReplicaSettings(_redis, "a", prefix));
        await using var b = await ControlPlaneHost.StartAsync(ReplicaSettings(_redis, "b", prefix));
        await Eventually.TrueAsync(async () => (bool)(await LeaderAsync(a.Client))["is_leader"]!, "a leads");

        await a.DisposeAsync(); // a graceful stop releases the lease

        await Eventually.TrueAsync(async () => (bool)(await LeaderAsync(b.Client))["is_leader"]!, "b leads", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Lease_WrittenWithoutTheAdminToken_NotFollowedAndNothingForwarded()
    {
        var prefix = "lead:" + Guid.NewGuid().ToString("N") + ":";
        await using (var connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString))
        {
            // Someone with write access to Redis but not the admin token names their own URL as the leader.
            await connection.GetDatabase().StringSetAsync(prefix + "leader", "evil/1\nhttp://127.0.0.1:9", TimeSpan.FromMinutes(5));
        }

        await using var b = await ControlPlaneHost.StartAsync(ReplicaSettings(_redis, "b", prefix));
        await Eventually.TrueAsync(
            async () => Regex.IsMatch(await b.Client.GetStringAsync("/metrics"), @"^acgs_controlplane_leader_lease_untrusted_total [1-9]", RegexOptions.Multiline),
            "b refuses the lease");

        var leader = await LeaderAsync(b.Client);
        Assert.False((bool)leader["is_leader"]!);
        Assert.Null(leader["leader"]);
        using var rollout = new HttpRequestMessage(HttpMethod.Get, "/api/v1/rollouts");
        rollout.Headers.Authorization = new("Bearer", ControlPlaneHost.AdminToken);
        using var response = await b.Client.SendAsync(rollout);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode); // urn:acgs:no-leader, not a call to the forged URL
    }

    [Fact]
    public async Task Embedded_SingleReplica_AlwaysLeads()
    {
        var directory = ControlPlaneHost.NewDataDirectory();
        await using (var host = await ControlPlaneHost.StartEmbeddedAsync(directory))
        {
            var leader = await LeaderAsync(host.Client);

            Assert.Equal("single", (string?)leader["mode"]);
            Assert.True((bool)leader["is_leader"]!);
        }

        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task HealthReport_ToOneReplica_IsAggregatedByBoth()
    {
        var prefix = "lead:" + Guid.NewGuid().ToString("N") + ":";
        await using var a = await ControlPlaneHost.StartAsync(ReplicaSettings(_redis, "a", prefix));
        await using var b = await ControlPlaneHost.StartAsync(ReplicaSettings(_redis, "b", prefix));
        var report = new JsonObject { ["clusters"] = new JsonArray(new JsonObject { ["name"] = "inbound|orders", ["state"] = "open" }) };

        Assert.Equal(HttpStatusCode.NoContent, (await b.Client.PutAsJsonAsync("/api/v1/health/orders/o1", report)).StatusCode);

        await Eventually.TrueAsync(async () => (await a.Client.GetAsync("/api/v1/health/services/orders")).StatusCode == HttpStatusCode.OK, "a aggregates b's report");
        var onA = JsonNode.Parse(await a.Client.GetStringAsync("/api/v1/health/services/orders"))!;
        Assert.Equal("critical", (string?)onA["status"]);
        Assert.Equal(1, (int)onA["open"]!);

        Assert.Equal(HttpStatusCode.NoContent, (await a.Client.DeleteAsync("/api/v1/health/orders/o1")).StatusCode);
        await Eventually.TrueAsync(async () => (await b.Client.GetAsync("/api/v1/health/services/orders")).StatusCode == HttpStatusCode.NotFound, "b forgets the node a deregistered");
    }
}
