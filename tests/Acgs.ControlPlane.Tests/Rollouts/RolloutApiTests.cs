// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Acgs.ControlPlane.Tests.Distribution;

namespace Acgs.ControlPlane.Tests.Rollouts;

/// <summary>
/// The rollout API on a real control plane (Kestrel, embedded store), with sidecars attached through real watch streams:
/// status codes and problem codes, and end to end a caller's sidecar seeing the weights step up and roll back.
/// </summary>
public sealed class RolloutApiTests : IAsyncLifetime
{
    private readonly string _directory = ControlPlaneHost.NewDataDirectory();
    private readonly List<WatchConnection> _streams = [];
    private ControlPlaneHost _host = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _host = await ControlPlaneHost.StartEmbeddedAsync(_directory, extra: new Dictionary<string, string?>
        {
            ["ACGS_ROLLOUT_TICK_MS"] = "50",
            ["ACGS_ROLLOUT_ANALYSIS_INTERVAL_SECONDS"] = "0.1",
            ["ACGS_HEALTH_REPORT_MS"] = "60000", // reports below stay fresh for the whole test on a slow machine
        });
        _admin = _host.AdminClient();
        foreach (var (service, node, address) in new[] { ("checkout", "c1", "127.0.0.1:17001"), ("checkout-v2", "g1", "127.0.0.1:17002") })
        {
            var stream = await WatchConnection.OpenAsync(_host.Address, service, node, address);
            await stream.NextSnapshotAsync();
            _streams.Add(stream);
            await ReportAsync(service, node, "closed");
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var stream in _streams)
        {
            await stream.DisposeAsync();
        }

        _admin.Dispose();
        await _host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task EndToEnd_CallerSidecar_SeesWeightsStepUpThenRollBackOnHealthDrop()
    {
        await using var caller = await WatchConnection.OpenAsync(_host.Address, "frontend", "f1", "127.0.0.1:17003");
        Assert.Equal(-1, GreenWeight(await caller.NextSnapshotAsync()));

        var created = await _admin.PostAsJsonAsync("/api/v1/rollouts", new JsonObject
        {
            ["service"] = "checkout",
            ["green_cluster"] = "checkout-v2",
            ["steps"] = new JsonArray(new JsonObject { ["weight"] = 10, ["pause_seconds"] = 0.3 }, new JsonObject { ["weight"] = 50, ["wait_for_resume"] = true }),
            ["analysis"] = new JsonObject { ["failure_limit"] = 0 },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        Assert.Equal($"/api/v1/rollouts/{id}", created.Headers.Location!.OriginalString);

        await NextWithGreenAsync(caller, 10);
        await NextWithGreenAsync(caller, 50);
        var rollout = await GetAsync(id);
        Assert.Equal("paused", (string?)rollout["phase"]);
        Assert.Equal(50, (int)rollout["green_weight"]!);

        await using (var reconnected = await WatchConnection.OpenAsync(_host.Address, "frontend", "f2", "127.0.0.1:17004"))
        {
            Assert.Equal(50, GreenWeight(await reconnected.NextSnapshotAsync())); // a (re)connecting sidecar gets the current weights
        }

        await ReportAsync("checkout-v2", "g1", "open", "open", "closed");
        var rolledBack = await NextWithGreenAsync(caller, 0);
        Assert.Equal(100, Weight(rolledBack, "checkout"));

        rollout = await GetAsync(id);
        Assert.Equal("rolled_back", (string?)rollout["phase"]);
        Assert.Contains("health score of 'checkout-v2' is 0.333, below 0.7", (string?)rollout["reason"], StringComparison.Ordinal);
        var audit = JsonNode.Parse(await _host.Client.GetStringAsync("/api/v1/audit"))!;
        Assert.True((bool)audit["chain_valid"]!);
        var last = audit["entries"]!.AsArray()[^1]!;
        Assert.Equal("rollout-controller", (string?)last["actor"]);
        Assert.Contains($"rollout={id} step=2/3 rollback: analysis failed", (string?)last["detail"], StringComparison.Ordinal);
        var metrics = await _host.Client.GetStringAsync("/metrics");
        Assert.Contains("acgs_controlplane_rollout_rollbacks_total{reason=\"health_score\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("acgs_controlplane_rollouts{phase=\"rolled_back\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_WithoutAdminToken_Returns401AndCreatesNothing()
    {
        var response = await _host.Client.PostAsJsonAsync("/api/v1/rollouts", new JsonObject { ["service"] = "checkout", ["green_cluster"] = "checkout-v2" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, (int)JsonNode.Parse(await _host.Client.GetStringAsync("/api/v1/rollouts"))!["count"]!);
    }

    [Fact]
    public async Task Post_InvalidRequest_Returns400ListingEveryError()
    {
        var response = await _admin.PostAsJsonAsync("/api/v1/rollouts", new JsonObject
        {
            ["service"] = "checkout",
            ["green_cluster"] = "checkout",
            ["blue_cluster"] = "checkout",
            ["strategy"] = "yolo",
            ["analysis"] = new JsonObject { ["min_health_score"] = 2 },
        });
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("validation_failed", (string?)problem["code"]);
        Assert.Equal(3, problem["errors"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("{\"service\":\"checkout\",\"green_cluster\":\"checkout-v2\",\"stepz\":[]}")]
    [InlineData("{\"service\":\"checkout\",\"green_cluster\":\"checkout-v2\",\"steps\":[{\"weight\":10,\"pause\":5}]}")]
    [InlineData("not json")]
    [InlineData("")]
    public async Task Post_UnknownFieldOrBadJson_Returns400(string body)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        var response = await _admin.PostAsync("/api/v1/rollouts", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("validation_failed", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]);
    }

    [Fact]
    public async Task Post_UnknownGreenCluster_Returns404UnknownService()
    {
        var response = await _admin.PostAsJsonAsync("/api/v1/rollouts", new JsonObject { ["service"] = "checkout", ["green_cluster"] = "checkout-v9" });
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("unknown_service", (string?)problem["code"]);
        Assert.StartsWith("green_cluster: 'checkout-v9'", (string?)problem["errors"]![0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_SecondActiveRollout_Returns409ThenActionsFollowTheLifecycle()
    {
        var body = new JsonObject { ["service"] = "checkout", ["green_cluster"] = "checkout-v2", ["steps"] = new JsonArray(new JsonObject { ["weight"] = 20, ["pause_seconds"] = 3600 }) };
        var first = await _admin.PostAsJsonAsync("/api/v1/rollouts", body);
        var id = (string)(await first.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;

        var second = await _admin.PostAsJsonAsync("/api/v1/rollouts", body.DeepClone());
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("rollout_active", (string?)JsonNode.Parse(await second.Content.ReadAsStringAsync())!["code"]);

        var paused = await _admin.PostAsync($"/api/v1/rollouts/{id}/pause", null);
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        Assert.Equal("paused", (string?)JsonNode.Parse(await paused.Content.ReadAsStringAsync())!["phase"]);
        Assert.Equal("progressing", (string?)JsonNode.Parse(await (await _admin.PostAsync($"/api/v1/rollouts/{id}/resume", null)).Content.ReadAsStringAsync())!["phase"]);

        using var reason = JsonContent.Create(new JsonObject { ["reason"] = "manual check failed" });
        var aborted = await _admin.PostAsync($"/api/v1/rollouts/{id}/abort", reason);
        var view = JsonNode.Parse(await aborted.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, aborted.StatusCode);
        Assert.Equal("rolled_back", (string?)view["phase"]);
        Assert.Equal("aborted by admin: manual check failed", (string?)view["reason"]);
        Assert.Equal(100, (int)view["blue_weight"]!);

        var promote = await _admin.PostAsync($"/api/v1/rollouts/{id}/promote", null);
        Assert.Equal(HttpStatusCode.Conflict, promote.StatusCode);
        Assert.Equal("rollout_finished", (string?)JsonNode.Parse(await promote.Content.ReadAsStringAsync())!["code"]);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.PostAsync("/api/v1/rollouts/checkout-404/abort", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Client.GetAsync("/api/v1/rollouts/checkout-404")).StatusCode);

        var list = JsonNode.Parse(await _host.Client.GetStringAsync("/api/v1/rollouts?service=checkout&phase=rolled_back"))!;
        Assert.Equal(1, (int)list["count"]!);
        Assert.Equal(HttpStatusCode.BadRequest, (await _host.Client.GetAsync("/api/v1/rollouts?phase=done")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _admin.PostAsJsonAsync("/api/v1/rollouts", body.DeepClone())).StatusCode);
    }

    /// <summary>checkout-v2's weight in the split of host checkout, or -1 without a split.</summary>
    private static int GreenWeight(JsonObject message) => Weight(message, "checkout-v2");

    private static int Weight(JsonObject message, string cluster)
    {
        foreach (var route in message["snapshot"]!["routes"]!.AsArray())
        {
            if ((string?)route!["host"] != "checkout" || route["weighted_clusters"] is not JsonArray weighted)
            {
                continue;
            }

            foreach (var share in weighted)
            {
                if ((string?)share!["cluster"] == cluster)
                {
                    return (int)share["weight"]!;
                }
            }
        }

        return -1;
    }

    private static async Task<JsonObject> NextWithGreenAsync(WatchConnection stream, int weight)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var message = await stream.NextSnapshotAsync(TimeSpan.FromSeconds(30));
            if (GreenWeight(message) == weight)
            {
                return message;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no snapshot with checkout-v2 at {weight}% within 30 s");
        }
    }

    private async Task ReportAsync(string service, string node, params string[] states)
    {
        var clusters = new JsonArray();
        for (var i = 0; i < states.Length; i++)
        {
            clusters.Add(new JsonObject { ["name"] = "upstream-" + i, ["state"] = states[i] });
        }

        var response = await _host.Client.PutAsJsonAsync($"/api/v1/health/{service}/{node}", new JsonObject { ["clusters"] = clusters });
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    private async Task<JsonNode> GetAsync(string id) => JsonNode.Parse(await _host.Client.GetStringAsync($"/api/v1/rollouts/{id}"))!;
}
