// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Acgs.Contracts.Config;
using Acgs.ControlPlane.Tests.Distribution;

namespace Acgs.ControlPlane.Tests.Recovery;

/// <summary>
/// Recovery through the real control-plane host: health reports turn a service CRITICAL (a task is queued), then
/// HEALTHY (the next attempt runs at once and succeeds), and the breaker reset reaches a sidecar's watch stream.
/// </summary>
public sealed class RecoveryEndToEndTests : IAsyncLifetime
{
    private readonly string _directory = ControlPlaneHost.NewDataDirectory();
    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync() => _host = await ControlPlaneHost.StartEmbeddedAsync(_directory, extra: new Dictionary<string, string?>
    {
        ["ACGS_RECOVERY_INITIAL_DELAY_MS"] = "60000",
    });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static JsonObject Report(params string[] states) =>
        new() { ["clusters"] = new JsonArray([.. states.Select((s, i) => (JsonNode)new JsonObject { ["name"] = "c" + i, ["state"] = s })]) };

    private async Task<JsonObject> GetAsync(string path) => JsonNode.Parse(await _host.Client.GetStringAsync(path))!.AsObject();

    [Fact]
    public async Task CriticalThenHealthy_TaskSucceedsAndResetReachesEveryWatchStream()
    {
        await using var caller = await WatchConnection.OpenAsync(_host.Address, "frontend", "f1", "127.0.0.1:15006");
        await using var own = await WatchConnection.OpenAsync(_host.Address, "orders", "o1", "127.0.0.1:15007");
        await own.NextSnapshotAsync();

        // Let the rebuild orders' arrival causes reach the caller first (its snapshot gains the orders cluster).
        var callerLine = await caller.NextSnapshotAsync();
        while (callerLine["snapshot"]!["clusters"]!["orders"] is null)
        {
            callerLine = await caller.NextSnapshotAsync();
        }

        var callerVersion = (string?)callerLine["version"];

        Assert.Equal(HttpStatusCode.NoContent, (await _host.Client.PutAsJsonAsync("/api/v1/health/orders/o1", Report("open", "open", "closed"))).StatusCode);
        var task = (await GetAsync("/api/v1/recovery/tasks"))["tasks"]!.AsArray().Single()!;
        Assert.Equal("orders", (string?)task["service"]);
        Assert.Equal("critical", (string?)task["trigger"]);
        Assert.Equal("pending", (string?)task["state"]);

        Assert.Equal(HttpStatusCode.NoContent, (await _host.Client.PutAsJsonAsync("/api/v1/health/orders/o1", Report("closed", "closed", "closed"))).StatusCode);

        var line = await caller.NextSnapshotAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(callerVersion + "+reset." + (long)task["id"]! + ".1", (string?)line["version"]);
        Assert.True(ConfigSnapshotJson.TryParse(line["snapshot"]!.AsObject(), out var snapshot, out var error), error);
        Assert.Empty(ConfigSnapshotValidator.Validate(snapshot));
        var reset = Assert.Single(snapshot!.BreakerResets!.Value);
        Assert.Equal(["orders", "inbound|orders"], reset.Clusters.ToArray());
        var ownLine = await own.NextSnapshotAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("inbound|orders", (string?)ownLine["snapshot"]!["breaker_resets"]![0]!["clusters"]![1]);

        var done = (await GetAsync("/api/v1/recovery/history"))["tasks"]!.AsArray().Single()!;
        Assert.Equal("succeeded", (string?)done["state"]);
        Assert.Equal(1, (int)done["attempts"]!);
        Assert.Equal(2, (int)done["reset_sidecars"]!);
        Assert.Equal(0, (int)(await GetAsync("/api/v1/recovery/tasks"))["count"]!);
        var metrics = await _host.Client.GetStringAsync("/metrics");
        Assert.Contains("acgs_controlplane_recovery_attempts_total{result=\"success\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("acgs_controlplane_recovery_tasks_finished_total{state=\"succeeded\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("acgs_controlplane_recovery_tasks{state=\"pending\"} 0", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Critical_TaskVisibleInGaugeUntilCancelled()
    {
        await _host.Client.PutAsJsonAsync("/api/v1/health/billing/b1", Report("open"));

        Assert.Contains("acgs_controlplane_recovery_tasks{state=\"pending\"} 1", await _host.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);
        using var admin = _host.AdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/v1/recovery/tasks/billing/cancel", null)).StatusCode);
        var metrics = await _host.Client.GetStringAsync("/metrics");
        Assert.Contains("acgs_controlplane_recovery_tasks{state=\"pending\"} 0", metrics, StringComparison.Ordinal);
        Assert.Contains("acgs_controlplane_recovery_tasks_finished_total{state=\"cancelled\"} 1", metrics, StringComparison.Ordinal);
    }
}
