// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Acgs.ControlPlane.Tests.Distribution;
using Acgs.Testing.Redis;

namespace Acgs.ControlPlane.Tests.Chaos;

/// <summary>The chaos emergency stop on a real Kestrel listener (embedded store; Redis for the restart).</summary>
public sealed class ChaosApiTests : IAsyncLifetime
{
    private const string Route = "/api/v1/chaos/emergency-stop";
    private readonly string _directory = ControlPlaneHost.NewDataDirectory();
    private ControlPlaneHost _host = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _host = await ControlPlaneHost.StartEmbeddedAsync(_directory);
        _admin = _host.AdminClient();
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static JsonObject Fault(string name, string target = "vector-search") => PolicyDocuments.Document(name, "FaultInjection", target,
        new JsonObject { ["abort_status"] = 503, ["percentage"] = 100, ["duration_seconds"] = 300 });

    private static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response) =>
        (JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject)!;

    private static async Task<HttpResponseMessage> EngageAsync(HttpClient client, string reason = "pager storm") =>
        await client.PostAsJsonAsync(Route, new JsonObject { ["reason"] = reason });

    private async Task CreateAsync(string id) =>
        Assert.Equal(HttpStatusCode.Created, (await _admin.PostAsJsonAsync("/api/v1/policies", new JsonObject { ["id"] = id })).StatusCode);

    private Task<HttpResponseMessage> AddFaultVersionAsync(string id, string version = "1.0.0") =>
        _admin.PostAsJsonAsync($"/api/v1/policies/{id}/versions", PolicyDocuments.VersionBody(version, Fault(id)));

    private async Task<JsonArray> PreviewFaultRulesAsync(string service = "vector-search")
    {
        var preview = JsonNode.Parse(await _host.Client.GetStringAsync($"/api/v1/discovery/snapshots/{service}"))!;
        return preview["snapshot"]!["fault_rules"]?.AsArray() ?? [];
    }

    private static async Task AssertEmergencyStopProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await ReadObjectAsync(response);
        Assert.Equal("urn:acgs:emergency-stop-engaged", (string?)problem["type"]);
        Assert.Equal("emergency_stop_engaged", (string?)problem["code"]);
        Assert.Contains("pager storm", (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_NothingEngaged_NotEngaged()
    {
        var state = JsonNode.Parse(await _host.Client.GetStringAsync(Route))!;

        Assert.False((bool)state["engaged"]!);
        Assert.Null(state["reason"]);
    }

    [Fact]
    public async Task PostAndDelete_WithoutToken_401AndNothingChanges()
    {
        var engage = await EngageAsync(_host.Client);
        Assert.Equal(HttpStatusCode.OK, (await EngageAsync(_admin)).StatusCode);
        var lift = await _host.Client.DeleteAsync(Route);

        Assert.Equal(HttpStatusCode.Unauthorized, engage.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, lift.StatusCode);
        Assert.Equal("Bearer", lift.Headers.WwwAuthenticate.Single().Scheme);
        Assert.True((bool)JsonNode.Parse(await _host.Client.GetStringAsync(Route))!["engaged"]!); // the anonymous lift changed nothing
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public async Task Post_MissingReason_400AndNotEngaged(string? reason)
    {
        var response = await _admin.PostAsJsonAsync(Route, new JsonObject { ["reason"] = reason });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False((bool)JsonNode.Parse(await _host.Client.GetStringAsync(Route))!["engaged"]!);
    }

    [Fact]
    public async Task Post_Engage_StateAuditAndIdempotent()
    {
        var first = await ReadObjectAsync(await EngageAsync(_admin));
        var second = await ReadObjectAsync(await EngageAsync(_admin, "another reason"));
        var state = JsonNode.Parse(await _host.Client.GetStringAsync(Route))!;
        var audit = JsonNode.Parse(await _host.Client.GetStringAsync("/api/v1/audit"))!;

        Assert.True((bool)first["engaged"]! && (bool)first["changed"]!);
        Assert.True((bool)second["engaged"]!);
        Assert.False((bool)second["changed"]!);
        Assert.Equal("pager storm", (string?)state["reason"]);
        Assert.Equal("admin", (string?)state["engaged_by"]);
        Assert.NotNull(state["engaged_at"]);
        var entry = Assert.Single(audit["entries"]!.AsArray());
        Assert.Equal("chaos.emergency_stop.engage", (string?)entry!["action"]);
        Assert.True((bool)audit["chain_valid"]!);
        Assert.Contains("acgs_controlplane_chaos_emergency_stop 1", await _host.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_EngageWithActiveFaultPolicy_PushesSnapshotWithoutFaultRules()
    {
        await using var stream = await WatchConnection.OpenAsync(_host.Address, "vector-search", "v1", "127.0.0.1:15006");
        await stream.NextSnapshotAsync();
        await CreateAsync("chaos");
        Assert.Equal(HttpStatusCode.Created, (await AddFaultVersionAsync("chaos")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _admin.PutAsync("/api/v1/policies/chaos/activate?version=1.0.0", null)).StatusCode);
        var faulted = await stream.NextSnapshotAsync();
        Assert.Single(faulted["snapshot"]!["fault_rules"]!.AsArray());

        Assert.Equal(HttpStatusCode.OK, (await EngageAsync(_admin)).StatusCode);
        var stopped = await stream.NextSnapshotAsync();

        Assert.Empty(stopped["snapshot"]!["fault_rules"]?.AsArray() ?? []);
        Assert.NotEqual((string?)faulted["version"], (string?)stopped["version"]);
        Assert.Empty(await PreviewFaultRulesAsync());
        Assert.Equal("1.0.0", (string?)JsonNode.Parse(await _host.Client.GetStringAsync("/api/v1/policies/chaos"))!["active_version"]); // cleared from snapshots, not deleted
    }

    [Fact]
    public async Task PostVersion_FaultInjectionWhileEngaged_409AndStoresNothing()
    {
        await CreateAsync("chaos");
        await CreateAsync("breaker");
        Assert.Equal(HttpStatusCode.OK, (await EngageAsync(_admin)).StatusCode);
        var auditBefore = JsonNode.Parse(await _host.Client.GetStringAsync("/api/v1/audit"))!["count"]!.GetValue<int>();

        var refused = await AddFaultVersionAsync("chaos");
        var other = await _admin.PostAsJsonAsync("/api/v1/policies/breaker/versions", PolicyDocuments.VersionBody("1.0.0", PolicyDocuments.Breaker("breaker")));

        await AssertEmergencyStopProblemAsync(refused);
        Assert.Empty(JsonNode.Parse(await _host.Client.GetStringAsync("/api/v1/policies/chaos/versions"))!.AsArray());
        Assert.Equal(HttpStatusCode.Created, other.StatusCode); // other kinds are not blocked
        Assert.Equal(auditBefore + 1, JsonNode.Parse(await _host.Client.GetStringAsync("/api/v1/audit"))!["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Activate_FaultVersionWhileEngaged_409AndStaysInactive()
    {
        await CreateAsync("chaos");
        Assert.Equal(HttpStatusCode.Created, (await AddFaultVersionAsync("chaos")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await EngageAsync(_admin)).StatusCode);

        var refused = await _admin.PutAsync("/api/v1/policies/chaos/activate?version=1.0.0", null);

        await AssertEmergencyStopProblemAsync(refused);
        Assert.Null((string?)JsonNode.Parse(await _host.Client.GetStringAsync("/api/v1/policies/chaos"))!["active_version"]);
    }

    [Fact]
    public async Task Delete_Lift_FaultPoliciesAllowedAndCompiledAgain()
    {
        await CreateAsync("chaos");
        Assert.Equal(HttpStatusCode.OK, (await EngageAsync(_admin)).StatusCode);
        await AssertEmergencyStopProblemAsync(await AddFaultVersionAsync("chaos"));

        var lift = await ReadObjectAsync(await _admin.DeleteAsync(Route));
        var again = await ReadObjectAsync(await _admin.DeleteAsync(Route));
        var added = await AddFaultVersionAsync("chaos");
        var activated = await _admin.PutAsync("/api/v1/policies/chaos/activate?version=1.0.0", null);

        Assert.False((bool)lift["engaged"]!);
        Assert.True((bool)lift["changed"]!);
        Assert.Equal("pager storm", (string?)lift["reason"]);
        Assert.False((bool)again["changed"]!);
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(HttpStatusCode.OK, activated.StatusCode);
        Assert.Single(await PreviewFaultRulesAsync());
        var audit = JsonNode.Parse(await _host.Client.GetStringAsync("/api/v1/audit"))!["entries"]!.AsArray();
        Assert.Contains(audit, e => (string?)e!["action"] == "chaos.emergency_stop.lift");
        Assert.Contains("acgs_controlplane_chaos_emergency_stop 0", await _host.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_EmbeddedStore_StaysEngaged()
    {
        Assert.Equal(HttpStatusCode.OK, (await EngageAsync(_admin)).StatusCode);
        _admin.Dispose();
        await _host.DisposeAsync();

        _host = await ControlPlaneHost.StartEmbeddedAsync(_directory);
        _admin = _host.AdminClient();
        await CreateAsync("chaos");

        Assert.Equal("pager storm", (string?)JsonNode.Parse(await _host.Client.GetStringAsync(Route))!["reason"]);
        await AssertEmergencyStopProblemAsync(await AddFaultVersionAsync("chaos"));
    }

    [Fact]
    public async Task Restart_RedisStore_StaysEngagedAndRefuses()
    {
        await using var redis = await RedisServer.StartNewAsync();
        var settings = new Dictionary<string, string?>
        {
            ["REDIS_URL"] = redis.Url,
            ["ACGS_ADMIN_TOKEN"] = ControlPlaneHost.AdminToken,
        };
        await using (var first = await ControlPlaneHost.StartAsync(settings))
        {
            using var admin = first.AdminClient();
            Assert.Equal(HttpStatusCode.OK, (await EngageAsync(admin)).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/policies", new JsonObject { ["id"] = "chaos" })).StatusCode);
        }

        await using var restarted = await ControlPlaneHost.StartAsync(settings);
        using var again = restarted.AdminClient();
        var state = JsonNode.Parse(await restarted.Client.GetStringAsync(Route))!;
        var refused = await again.PostAsJsonAsync("/api/v1/policies/chaos/versions", PolicyDocuments.VersionBody("1.0.0", Fault("chaos")));

        Assert.True((bool)state["engaged"]!);
        Assert.Equal("pager storm", (string?)state["reason"]);
        await AssertEmergencyStopProblemAsync(refused);
        Assert.Equal(HttpStatusCode.OK, (await again.DeleteAsync(Route)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await again.PostAsJsonAsync("/api/v1/policies/chaos/versions", PolicyDocuments.VersionBody("1.0.0", Fault("chaos")))).StatusCode);
    }
}
