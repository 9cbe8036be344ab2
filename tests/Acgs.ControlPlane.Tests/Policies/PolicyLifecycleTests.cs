// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Acgs.ControlPlane.Api;
using Acgs.ControlPlane.Tests.Distribution;

namespace Acgs.ControlPlane.Tests.Policies;

/// <summary>
/// Safe policy changes on a real control plane (embedded store) with sidecars on real watch streams: a change that would
/// stop a service's snapshot from compiling is refused with every reason while the mesh keeps converging; validate,
/// deactivate and delete.
/// </summary>
public sealed class PolicyLifecycleTests : IAsyncLifetime
{
    private readonly string _directory = ControlPlaneHost.NewDataDirectory();
    private ControlPlaneHost _host = null!;
    private HttpClient _admin = null!;
    private WatchConnection _orders = null!;

    public async Task InitializeAsync()
    {
        _host = await ControlPlaneHost.StartEmbeddedAsync(_directory);
        _admin = _host.AdminClient();
        _orders = await WatchConnection.OpenAsync(_host.Address, "orders", "o1", "127.0.0.1:17201");
        await _orders.NextSnapshotAsync();
    }

    public async Task DisposeAsync()
    {
        await _orders.DisposeAsync();
        _admin.Dispose();
        await _host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>The TrafficSplit example of docs/control-plane.md: clusters that have no sidecars and no destinations.</summary>
    private static JsonObject DocsSplit() => PolicyDocuments.Document("orders-bluegreen", "TrafficSplit", "orders", new JsonObject
    {
        ["blue_cluster"] = "orders-blue", ["blue_weight"] = 90, ["green_cluster"] = "orders-green", ["green_weight"] = 10,
    });

    private async Task AddVersionAsync(string id, JsonObject document, string version = "1.0.0")
    {
        await _admin.PostAsJsonAsync("/api/v1/policies", new JsonObject { ["id"] = id });
        Assert.Equal(HttpStatusCode.Created, (await _admin.PostAsJsonAsync($"/api/v1/policies/{id}/versions", PolicyDocuments.VersionBody(version, document))).StatusCode);
    }

    private static async Task<JsonNode> ReadAsync(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    [Fact]
    public async Task Activate_DocsTrafficSplitExample_Returns422WithReasonsAndMeshKeepsConverging()
    {
        await AddVersionAsync("orders-bluegreen", DocsSplit());

        var refused = await _admin.PutAsync("/api/v1/policies/orders-bluegreen/activate?version=1.0.0", null);
        var problem = await ReadAsync(refused);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal(Problems.UncompilableType, (string?)problem["type"]);
        var errors = problem["errors"]!.AsArray();
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.StartsWith("service 'orders': ", (string?)e, StringComparison.Ordinal));
        Assert.Contains(errors, e => ((string?)e)!.Contains("orders-blue", StringComparison.Ordinal));
        Assert.Null((await ReadAsync(await _host.Client.GetAsync("/api/v1/policies/orders-bluegreen")))["active_version"]);

        await DistributionTests.ActivateBreakerAsync(_admin, "mesh-breaker", "mesh", failMax: 7);
        var pushed = await _orders.NextSnapshotAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(7, (int)pushed["snapshot"]!["inbound"]!["breaker"]!["fail_max"]!);
    }

    [Fact]
    public async Task Validate_BrokenThenSound_Returns422Then200AndStoresNothing()
    {
        var broken = await _admin.PostAsJsonAsync("/api/v1/policies/validate", new JsonObject { ["id"] = "orders-bluegreen", ["content"] = DocsSplit() });
        var sound = await _admin.PostAsJsonAsync("/api/v1/policies/validate", new JsonObject { ["id"] = "b", ["content"] = PolicyDocuments.Breaker("b", "orders", 5) });
        var invalid = await _admin.PostAsJsonAsync("/api/v1/policies/validate", new JsonObject { ["id"] = "b", ["content"] = new JsonObject { ["kind"] = "Nope" } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, broken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, sound.StatusCode);
        Assert.True((bool)(await ReadAsync(sound))["valid"]!);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Empty((await ReadAsync(await _host.Client.GetAsync("/api/v1/policies"))).AsArray());
    }

    [Fact]
    public async Task Deactivate_ActiveBreaker_SidecarLosesItAndAuditRecordsIt()
    {
        await DistributionTests.ActivateBreakerAsync(_admin, "orders-breaker", "orders", failMax: 9);
        Assert.Equal(9, (int)(await _orders.NextSnapshotAsync())["snapshot"]!["inbound"]!["breaker"]!["fail_max"]!);

        var response = await _admin.PutAsync("/api/v1/policies/orders-breaker/deactivate", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null((await ReadAsync(response))["active_version"]);
        var pushed = await _orders.NextSnapshotAsync(TimeSpan.FromSeconds(20));
        Assert.NotEqual(9, (int?)pushed["snapshot"]!["inbound"]!["breaker"]?["fail_max"]);
        var audit = await ReadAsync(await _host.Client.GetAsync("/api/v1/audit"));
        Assert.True((bool)audit["chain_valid"]!);
        Assert.Equal("policy.deactivate", (string?)audit["entries"]!.AsArray()[^1]!["action"]);
        Assert.Equal(HttpStatusCode.OK, (await _admin.PutAsync("/api/v1/policies/orders-breaker/deactivate", null)).StatusCode); // again: nothing to do
    }

    [Fact]
    public async Task Delete_ActiveThenDeactivated_Returns409Then204AndIsAudited()
    {
        await DistributionTests.ActivateBreakerAsync(_admin, "orders-breaker", "orders", failMax: 9);

        var refused = await _admin.DeleteAsync("/api/v1/policies/orders-breaker");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("deactivate it first", (string?)(await ReadAsync(refused))["detail"], StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await _admin.PutAsync("/api/v1/policies/orders-breaker/deactivate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync("/api/v1/policies/orders-breaker")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await _host.Client.GetAsync("/api/v1/policies/orders-breaker")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.DeleteAsync("/api/v1/policies/orders-breaker")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.Client.DeleteAsync("/api/v1/policies/anything")).StatusCode);
        var audit = await ReadAsync(await _host.Client.GetAsync("/api/v1/audit"));
        Assert.True((bool)audit["chain_valid"]!);
        var last = audit["entries"]!.AsArray()[^1]!;
        Assert.Equal("policy.delete", (string?)last["action"]);
        Assert.Equal("versions=1.0.0", (string?)last["detail"]);
        Assert.Equal(HttpStatusCode.Created, (await _admin.PostAsJsonAsync("/api/v1/policies", new JsonObject { ["id"] = "orders-breaker" })).StatusCode); // the id is free again
    }
}
