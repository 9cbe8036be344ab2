// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Acgs.ControlPlane.Distribution;
using Microsoft.Extensions.DependencyInjection;

namespace Acgs.ControlPlane.Tests.Distribution;

/// <summary>Watch streams, ACK/NACK and convergence on a real control plane (embedded store).</summary>
public sealed class DistributionTests : IAsyncLifetime
{
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

    internal static async Task ActivateBreakerAsync(HttpClient admin, string id, string target, int failMax, string version = "1.0.0", bool create = true)
    {
        if (create)
        {
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/policies", new JsonObject { ["id"] = id })).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync($"/api/v1/policies/{id}/versions", PolicyDocuments.VersionBody(version, PolicyDocuments.Breaker(id, target, failMax)))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync($"/api/v1/policies/{id}/activate?version={version}", null)).StatusCode);
    }

    private async Task AckAsync(JsonObject message, string service, string node, bool accepted = true, params string[] errors)
    {
        var ack = new JsonObject
        {
            ["service_name"] = service,
            ["node_id"] = node,
            ["version"] = (string?)message["version"],
            ["nonce"] = (string?)message["nonce"],
            ["accepted"] = accepted,
            ["errors"] = new JsonArray([.. errors.Select(e => (JsonNode)e)]),
        };
        Assert.Equal(HttpStatusCode.NoContent, (await _host.Client.PostAsJsonAsync("/api/v1/discovery/ack", ack)).StatusCode);
    }

    [Fact]
    public async Task Watch_Activation_PushesNewSnapshotWithVersionAndNonce()
    {
        await using var stream = await WatchConnection.OpenAsync(_host.Address, "vector-search", "v1", "127.0.0.1:15006");
        var first = await stream.NextSnapshotAsync();
        await AckAsync(first, "vector-search", "v1");

        await ActivateBreakerAsync(_admin, "mesh-breaker", "mesh", failMax: 4);
        var second = await stream.NextSnapshotAsync();
        await AckAsync(second, "vector-search", "v1");

        Assert.NotEqual((string?)first["version"], (string?)second["version"]);
        Assert.Equal(32, ((string?)second["nonce"])!.Length);
        Assert.Equal(4, (int)second["snapshot"]!["inbound"]!["breaker"]!["fail_max"]!);
        var sidecars = JsonNode.Parse(await _host.Client.GetStringAsync("/api/v1/discovery/sidecars"))!.AsArray();
        Assert.Equal((string?)second["version"], (string?)sidecars.Single()!["acked_version"]);
        Assert.Contains("acgs_controlplane_connected_sidecars 1", await _host.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_SecondSidecar_BecomesDestinationOfTheFirst()
    {
        await using var caller = await WatchConnection.OpenAsync(_host.Address, "vector-search", "v1", "127.0.0.1:15006");
        await caller.NextSnapshotAsync();

        await using var callee = await WatchConnection.OpenAsync(_host.Address, "audit-ledger", "a1", "127.0.0.1:16006");
        var updated = await caller.NextSnapshotAsync();

        Assert.Equal("http://127.0.0.1:16006", (string?)updated["snapshot"]!["clusters"]!["audit-ledger"]!["destinations"]![0]);
    }

    [Fact]
    public async Task Activate_CompiledByTheCheck_RebuildPushesThatSnapshotWithTheVersionOfAFullCompile()
    {
        var hub = _host.App.Services.GetRequiredService<DistributionHub>();
        await using var stream = await WatchConnection.OpenAsync(_host.Address, "vector-search", "v1", "127.0.0.1:15006");
        await stream.NextSnapshotAsync();
        var before = hub.Precompiled;

        await ActivateBreakerAsync(_admin, "mesh-breaker", "mesh", failMax: 7);
        var pushed = await stream.NextSnapshotAsync();
        while ((int?)pushed["snapshot"]!["inbound"]!["breaker"]?["fail_max"] != 7)
        {
            pushed = await stream.NextSnapshotAsync(); // a registration's rebuild may come first
        }

        Assert.True(hub.Precompiled > before);
        var preview = JsonNode.Parse(await _host.Client.GetStringAsync("/api/v1/discovery/snapshots/vector-search"))!;
        Assert.Equal((string?)preview["snapshot"]!["version"], (string?)pushed["version"]);
        Assert.Equal(preview["snapshot"]!.ToJsonString(), pushed["snapshot"]!.ToJsonString());
    }

    [Fact]
    public async Task Ack_Nack_IsCountedAndShown()
    {
        await using var stream = await WatchConnection.OpenAsync(_host.Address, "vector-search", "v1", "127.0.0.1:15006");
        var first = await stream.NextSnapshotAsync();

        await AckAsync(first, "vector-search", "v1", accepted: false, "clusters.x: bad");

        var sidecar = JsonNode.Parse(await _host.Client.GetStringAsync("/api/v1/discovery/sidecars"))!.AsArray().Single()!;
        Assert.Equal((string?)first["version"], (string?)sidecar["nacked_version"]);
        Assert.Equal("clusters.x: bad", (string?)sidecar["last_errors"]![0]);
        Assert.Contains("acgs_controlplane_nacks_total{service=\"vector-search\"} 1", await _host.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Activate_ConflictingPolicy_Returns400AndNothingChanges()
    {
        await ActivateBreakerAsync(_admin, "first", "audit-ledger", failMax: 4);
        await _admin.PostAsJsonAsync("/api/v1/policies", new JsonObject { ["id"] = "second" });
        await _admin.PostAsJsonAsync("/api/v1/policies/second/versions", PolicyDocuments.VersionBody("1.0.0", PolicyDocuments.Breaker("second", "audit-ledger", 6)));

        var response = await _admin.PutAsync("/api/v1/policies/second/activate?version=1.0.0", null);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("conflict", body, StringComparison.Ordinal);
        Assert.Null(JsonNode.Parse(await _host.Client.GetStringAsync("/api/v1/policies/second"))!["active_version"]);
    }

    [Fact]
    public async Task Watch_WrongSidecarToken_Returns401()
    {
        var directory = ControlPlaneHost.NewDataDirectory();
        await using (var host = await ControlPlaneHost.StartEmbeddedAsync(directory, extra: new Dictionary<string, string?> { ["ACGS_SIDECAR_TOKEN"] = "sidecar-token-0123456789" }))
        {
            var response = await host.Client.GetAsync("/api/v1/discovery/watch?service=a&node=n&address=127.0.0.1:1");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Watch_InvalidParameters_Returns400ListingAll()
    {
        var response = await _host.Client.GetAsync("/api/v1/discovery/watch?service=Bad!&address=nope nope");
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(3, problem["errors"]!.AsArray().Count);
    }
}
