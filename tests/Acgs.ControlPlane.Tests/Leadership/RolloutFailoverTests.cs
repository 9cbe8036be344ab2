// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Acgs.ControlPlane.Tests.Distribution;
using Acgs.Testing;
using Acgs.Testing.Redis;

namespace Acgs.ControlPlane.Tests.Leadership;

/// <summary>
/// Two control-plane replicas on one real redis-server behind "one Service": calls alternate between them and get the same
/// answers, and when the leader (a real process) is killed mid-rollout the other replica takes the lead and finishes it.
/// </summary>
public sealed class RolloutFailoverTests : IClassFixture<RedisFixture>
{
    private readonly RedisServer _redis;

    public RolloutFailoverTests(RedisFixture redis)
    {
        _redis = redis.Server;
    }

    [Fact]
    public async Task Rollout_LeaderKilledMidway_OtherReplicaFinishesIt()
    {
        var prefix = "failover:" + Guid.NewGuid().ToString("N") + ":";
        var settings = LeaderElectionTests.ReplicaSettings(_redis, "p", prefix);
        settings["ACGS_ROLLOUT_TICK_MS"] = "50";
        settings["ACGS_ROLLOUT_ANALYSIS_INTERVAL_SECONDS"] = "0.1";
        settings["ACGS_HEALTH_REPORT_MS"] = "1000"; // warm-up after a take-over: 3 report intervals
        var processSettings = new Dictionary<string, string>();
        foreach (var (key, value) in settings)
        {
            processSettings[key] = value!;
        }

        await using var p = await ReplicaProcess.StartAsync(processSettings);
        await Eventually.TrueAsync(async () => (bool)(await LeaderElectionTests.LeaderAsync(p.Client))["is_leader"]!, "the process replica leads");
        settings["ACGS_REPLICA_ID"] = "h";
        await using var h = await ControlPlaneHost.StartAsync(settings);
        using var adminH = h.AdminClient();
        using var adminP = p.AdminClient();
        await using var blue = await WatchConnection.OpenAsync(h.Address, "checkout", "c1", "127.0.0.1:17101");
        await using var green = await WatchConnection.OpenAsync(h.Address, "checkout-v2", "g1", "127.0.0.1:17102");
        await blue.NextSnapshotAsync();
        await green.NextSnapshotAsync();
        using var reporting = new CancellationTokenSource();
        var reporter = ReportHealthyAsync(h.Client, reporting.Token);

        var created = await adminH.PostAsJsonAsync("/api/v1/rollouts", new JsonObject
        {
            ["service"] = "checkout",
            ["green_cluster"] = "checkout-v2",
            ["steps"] = new JsonArray(
                new JsonObject { ["weight"] = 10, ["wait_for_resume"] = true },
                new JsonObject { ["weight"] = 50, ["pause_seconds"] = 0.5 },
                new JsonObject { ["weight"] = 100, ["pause_seconds"] = 0 }),
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("p", created.Headers.GetValues("X-Acgs-Leader").Single()); // answered by the leader through h
        var id = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;

        for (var i = 0; i < 4; i++)
        {
            var client = i % 2 == 0 ? h.Client : p.Client; // one Service, either replica
            var rollout = JsonNode.Parse(await client.GetStringAsync($"/api/v1/rollouts/{id}"))!;
            Assert.Equal("checkout-v2", (string?)rollout["green_cluster"]);
            Assert.Equal(1, (int)JsonNode.Parse(await client.GetStringAsync("/api/v1/rollouts"))!["count"]!);
        }

        await Eventually.TrueAsync(async () => (string?)JsonNode.Parse(await h.Client.GetStringAsync($"/api/v1/rollouts/{id}"))!["phase"] == "paused", "step 1 waits for a resume");
        await p.KillAsync(); // a crash: the lease is not released, it expires
        var taken = await Eventually.ValueAsync(() => LeaderElectionTests.LeaderAsync(h.Client), static l => (bool)l["is_leader"]!, TimeSpan.FromSeconds(10));
        Assert.Equal("h", (string?)taken["leader"]!["replica"]);
        var resumed = await adminH.PostAsync($"/api/v1/rollouts/{id}/resume", null);
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        Assert.False(resumed.Headers.Contains("X-Acgs-Leader")); // answered by h itself now

        var done = await Eventually.ValueAsync(
            async () => JsonNode.Parse(await adminH.GetStringAsync($"/api/v1/rollouts/{id}"))!,
            static r => (string?)r["phase"] is "succeeded" or "rolled_back",
            TimeSpan.FromSeconds(40));
        await reporting.CancelAsync();
        await reporter;

        Assert.Equal("succeeded", (string?)done["phase"]);
        Assert.Equal(100, (int)done["green_weight"]!);
        Assert.Contains(done["events"]!.AsArray(), e => ((string?)e!["message"] ?? string.Empty).Contains("took the lead", StringComparison.Ordinal));
    }

    private static async Task ReportHealthyAsync(HttpClient client, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            do
            {
                foreach (var (service, node) in new[] { ("checkout", "c1"), ("checkout-v2", "g1") })
                {
                    var report = new JsonObject { ["clusters"] = new JsonArray(new JsonObject { ["name"] = "inbound|" + service, ["state"] = "closed" }) };
                    using var response = await client.PutAsJsonAsync($"/api/v1/health/{service}/{node}", report, stop);
                }
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
