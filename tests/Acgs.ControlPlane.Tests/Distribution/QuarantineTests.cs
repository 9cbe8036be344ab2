// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Acgs.ControlPlane.Tests.Distribution;

/// <summary>
/// A policy that stops compiling after a topology change is quarantined (left out of the snapshot and reported) instead of
/// freezing its service: a real control plane (embedded store) with sidecars on real watch streams.
/// </summary>
public sealed class QuarantineTests : IAsyncLifetime
{
    private const string PolicyId = "orders-to-payments";
    private readonly string _directory = ControlPlaneHost.NewDataDirectory();
    private ControlPlaneHost _host = null!;
    private HttpClient _admin = null!;
    private WatchConnection _orders = null!;
    private WatchConnection _inventory = null!;

    public async Task InitializeAsync()
    {
        _host = await ControlPlaneHost.StartEmbeddedAsync(_directory);
        _admin = _host.AdminClient();
        _orders = await WatchConnection.OpenAsync(_host.Address, "orders", "o1", "127.0.0.1:17201");
        await _orders.NextSnapshotAsync();
        _inventory = await WatchConnection.OpenAsync(_host.Address, "inventory", "i1", "127.0.0.1:17203");
        await _inventory.NextSnapshotAsync();
    }

    public async Task DisposeAsync()
    {
        await _orders.DisposeAsync();
        await _inventory.DisposeAsync();
        _admin.Dispose();
        await _host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static bool HasRoute(JsonObject message, string host) =>
        message["snapshot"]!["routes"]!.AsArray().Any(r => (string?)r!["host"] == host);

    /// <summary>Reads snapshots until one satisfies <paramref name="condition"/>.</summary>
    private static async Task<JsonObject> NextMatchingAsync(WatchConnection stream, Func<JsonObject, bool> condition)
    {
        while (true)
        {
            var message = await stream.NextSnapshotAsync(TimeSpan.FromSeconds(20));
            if (condition(message))
            {
                return message;
            }
        }
    }

    private async Task<JsonNode> GetAsync(string path) => JsonNode.Parse(await _host.Client.GetStringAsync(path))!;

    [Fact]
    public async Task Rebuild_RouteClusterLosesItsOnlySidecar_PolicyQuarantinedOthersKeepConvergingAndItReturns()
    {
        var payments = await WatchConnection.OpenAsync(_host.Address, "payments", "p1", "127.0.0.1:17202");
        await payments.NextSnapshotAsync();
        await _admin.PostAsJsonAsync("/api/v1/policies", new JsonObject { ["id"] = PolicyId });
        var route = PolicyDocuments.Document(PolicyId, "Route", "orders", new JsonObject { ["hosts"] = new JsonArray("pay.internal"), ["cluster"] = "payments" });
        Assert.Equal(HttpStatusCode.Created, (await _admin.PostAsJsonAsync($"/api/v1/policies/{PolicyId}/versions", PolicyDocuments.VersionBody("1.0.0", route))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _admin.PutAsync($"/api/v1/policies/{PolicyId}/activate?version=1.0.0", null)).StatusCode);
        await NextMatchingAsync(_orders, m => HasRoute(m, "pay.internal"));

        await payments.DisposeAsync(); // the stream closes: payments' only sidecar deregisters

        var withoutRoute = await NextMatchingAsync(_orders, m => !HasRoute(m, "pay.internal"));
        Assert.DoesNotContain(withoutRoute["snapshot"]!["clusters"]!.AsObject(), c => c.Key == "payments");
        var quarantined = (await GetAsync($"/api/v1/policies/{PolicyId}"))["quarantined"]!.AsArray();
        var entry = Assert.Single(quarantined)!;
        Assert.Equal("orders", (string?)entry["service"]);
        Assert.Equal("1.0.0", (string?)entry["version"]);
        Assert.Contains(entry["errors"]!.AsArray(), e => ((string?)e)!.Contains("cluster 'payments'", StringComparison.Ordinal));

        await DistributionTests.ActivateBreakerAsync(_admin, "mesh-breaker", "mesh", failMax: 7);
        var breaker = await NextMatchingAsync(_orders, m => (int?)m["snapshot"]!["inbound"]!["breaker"]?["fail_max"] == 7);
        Assert.False(HasRoute(breaker, "pay.internal"));
        await NextMatchingAsync(_inventory, m => (int?)m["snapshot"]!["inbound"]!["breaker"]?["fail_max"] == 7);
        Assert.Contains($"acgs_controlplane_quarantined_policies{{policy=\"{PolicyId}\"}} 1", await _host.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);
        var config = (await GetAsync("/api/v1/status"))["service_config"]!.AsArray();
        var orders = config.Single(s => (string?)s!["service"] == "orders")!;
        Assert.Equal("quarantined_policy", (string?)orders["config_state"]);
        Assert.Equal(PolicyId, (string?)orders["quarantined"]![0]!["policy_id"]);
        var inventory = config.Single(s => (string?)s!["service"] == "inventory")!;
        Assert.Equal("stale", (string?)inventory["config_state"]); // pushed, never ACKed
        Assert.Equal("i1", (string?)inventory["stale_sidecars"]![0]);

        await using var back = await WatchConnection.OpenAsync(_host.Address, "payments", "p2", "127.0.0.1:17204");
        await NextMatchingAsync(_orders, m => HasRoute(m, "pay.internal"));
        Assert.Empty((await GetAsync($"/api/v1/policies/{PolicyId}"))["quarantined"]!.AsArray());
    }
}
