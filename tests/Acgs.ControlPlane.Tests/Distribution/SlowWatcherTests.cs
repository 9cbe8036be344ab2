// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Acgs.Contracts.Config;
using Acgs.ControlPlane.Distribution;
using Microsoft.Extensions.DependencyInjection;

namespace Acgs.ControlPlane.Tests.Distribution;

/// <summary>A watcher that never reads holds at most the newest snapshot and does not hold up the others.</summary>
public sealed class SlowWatcherTests : IAsyncLifetime
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

    [Fact]
    public void Push_ManySnapshotsNeverRead_KeepsOnlyTheNewest()
    {
        var watcher = new Watcher("svc", "node", "127.0.0.1:1", DateTimeOffset.UnixEpoch);
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(watcher.Push(new ConfigSnapshot { Version = "v" + i, ServiceName = "svc" }));
        }

        Assert.Equal(1, watcher.Pushes.Count);
        Assert.True(watcher.Pushes.TryRead(out var newest));
        Assert.Equal("v999", newest?.Version);
    }

    [Fact]
    public void Wake_SnapshotQueued_LeavesItQueued()
    {
        var watcher = new Watcher("svc", "n1", "127.0.0.1:15006", DateTimeOffset.UnixEpoch);
        Assert.True(watcher.Push(new ConfigSnapshot { Version = "v1", ServiceName = "svc" }));

        watcher.Wake();

        Assert.True(watcher.Pushes.TryRead(out var queued));
        Assert.Equal("v1", queued?.Version);
        Assert.False(watcher.Pushes.TryRead(out _));
    }

    [Fact]
    public void Answered_DeltaNackedAfterANewerPush_KeepsTheNewerQueued()
    {
        var watcher = new Watcher("svc", "n1", "127.0.0.1:15006", DateTimeOffset.UnixEpoch, deltas: true);
        var v1 = new ConfigSnapshot { Version = "v1", ServiceName = "svc" };
        Assert.True(watcher.Push(v1));
        Assert.True(watcher.Pushes.TryRead(out _));
        watcher.Wrote(v1, delta: true);
        Assert.True(watcher.Push(new ConfigSnapshot { Version = "v2", ServiceName = "svc" }));

        watcher.Answered("v1", accepted: false, current: v1); // current read before v2 was pushed

        Assert.False(watcher.Deltas);
        Assert.Equal("v2", watcher.PushedVersion);
        Assert.True(watcher.Pushes.TryRead(out var queued));
        Assert.Equal("v2", queued?.Version);
    }

    [Fact]
    public void Answered_DeltaNackedWhileTheLastQueued_QueuesTheSnapshotInFull()
    {
        var watcher = new Watcher("svc", "n1", "127.0.0.1:15006", DateTimeOffset.UnixEpoch, deltas: true);
        var v1 = new ConfigSnapshot { Version = "v1", ServiceName = "svc" };
        Assert.True(watcher.Push(v1));
        Assert.True(watcher.Pushes.TryRead(out _));
        watcher.Wrote(v1, delta: true);

        watcher.Answered("v1", accepted: false, current: v1);

        Assert.False(watcher.Deltas);
        Assert.True(watcher.Pushes.TryRead(out var queued));
        Assert.Equal("v1", queued?.Version);
    }

    [Fact]
    public void Push_AfterAWakeUp_TheSnapshotTakesItsPlace()
    {
        var watcher = new Watcher("svc", "n1", "127.0.0.1:15006", DateTimeOffset.UnixEpoch);
        watcher.Wake();
        watcher.Wake();

        Assert.Equal(1, watcher.Pushes.Count);
        Assert.True(watcher.Push(new ConfigSnapshot { Version = "v1", ServiceName = "svc" }));

        Assert.True(watcher.Pushes.TryRead(out var queued));
        Assert.Equal("v1", queued?.Version);
    }

    [Fact]
    public async Task Activations_OneWatcherNeverReads_TheOtherGetsEveryChangeAndTheSlowQueueHoldsOne()
    {
        var hub = _host.App.Services.GetRequiredService<DistributionHub>();
        await using var slow = await WatchConnection.OpenAsync(_host.Address, "vector-search", "slow", "127.0.0.1:15007"); // never read
        await using var fast = await WatchConnection.OpenAsync(_host.Address, "vector-search", "fast", "127.0.0.1:15006");
        await AckAsync(await fast.NextSnapshotAsync(), "fast");
        Assert.Equal(HttpStatusCode.Created, (await _admin.PostAsJsonAsync("/api/v1/policies", new JsonObject { ["id"] = "mesh-breaker" })).StatusCode);

        for (var round = 1; round <= 20; round++)
        {
            var version = $"1.{round}.0";
            Assert.Equal(HttpStatusCode.Created, (await _admin.PostAsJsonAsync("/api/v1/policies/mesh-breaker/versions",
                PolicyDocuments.VersionBody(version, PolicyDocuments.Breaker("mesh-breaker", "mesh", 10 + round)))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await _admin.PutAsync($"/api/v1/policies/mesh-breaker/activate?version={version}", null)).StatusCode);

            JsonObject message;
            do
            {
                message = await fast.NextSnapshotAsync();
            }
            while ((int?)message["snapshot"]!["inbound"]!["breaker"]?["fail_max"] != 10 + round);

            await AckAsync(message, "fast");
            var stalled = hub.Watchers.Single(w => w.NodeId == "slow");
            Assert.True(stalled.Pushes.Count <= 1, $"round {round}: {stalled.Pushes.Count} snapshots queued for the watcher that does not read");
            Assert.Equal((string?)message["version"], hub.Watchers.Single(w => w.NodeId == "fast").AckedVersion);
        }

        Assert.Equal(hub.CurrentSnapshot("vector-search")!.Version, hub.Watchers.Single(w => w.NodeId == "slow").PushedVersion);
    }

    private async Task AckAsync(JsonObject message, string node)
    {
        var ack = new JsonObject
        {
            ["service_name"] = "vector-search",
            ["node_id"] = node,
            ["version"] = (string?)message["version"],
            ["nonce"] = (string?)message["nonce"],
            ["accepted"] = true,
            ["errors"] = new JsonArray(),
        };
        Assert.Equal(HttpStatusCode.NoContent, (await _host.Client.PostAsJsonAsync("/api/v1/discovery/ack", ack)).StatusCode);
    }
}
