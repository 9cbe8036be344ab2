// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Nodes;
using Acgs.Contracts.Config;
using Acgs.Sidecar.ControlPlaneClient;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Acgs.Sidecar.Tests.ControlPlaneClient;

/// <summary>Delta lines: applied to the JSON of the last ACKed snapshot, then the same validation and apply; refused precisely otherwise.</summary>
public sealed class ControlPlaneWatchClientDeltaTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "acgs-cp-delta-tests", Guid.NewGuid().ToString("N"));

    private static ConfigSnapshot Snapshot(string version) => new()
    {
        Version = version,
        ServiceName = "vector-search",
        Clusters = System.Collections.Immutable.ImmutableDictionary<string, ClusterConfig>.Empty.Add("audit-ledger", new ClusterConfig { Destinations = ["http://127.0.0.1:9"] }),
        Routes = [new OutboundRoute { Host = "audit-ledger", Cluster = "audit-ledger" }],
    };

    private static JsonObject Delta(string version, string baseVersion, JsonObject patch) =>
        new() { ["type"] = "delta", ["version"] = version, ["base"] = baseVersion, ["nonce"] = "n-" + version, ["patch"] = patch };

    private ControlPlaneWatchClient Client(Uri url, RecordingApplier applier) => new(
        new ControlPlaneClientOptions
        {
            Url = url,
            NodeId = "v1",
            ServiceName = "vector-search",
            InboundAddress = "127.0.0.1:15006",
            LastKnownGoodPath = Path.Combine(_directory, "lkg.json"),
            BackoffMin = TimeSpan.FromMilliseconds(20),
            BackoffMax = TimeSpan.FromMilliseconds(100),
        },
        applier,
        TimeProvider.System,
        NullLogger<ControlPlaneWatchClient>.Instance);

    [Fact]
    public async Task Delta_OnAckedBase_PatchedValidatedAppliedAndAcked()
    {
        await using var plane = await FakeControlPlane.StartAsync();
        var applier = new RecordingApplier();
        using var client = Client(plane.Address, applier);
        await client.StartAsync(default);
        plane.Push(Snapshot("1-a"), "nonce-1");
        Assert.True((bool)(await plane.NextAckAsync())["accepted"]!);

        plane.PushLine(Delta("2-b", "1-a", new JsonObject
        {
            ["version"] = "2-b",
            ["clusters"] = new JsonObject { ["audit-ledger"] = new JsonObject { ["destinations"] = new JsonArray("http://127.0.0.1:10") } },
        }));
        var ack = await plane.NextAckAsync();
        await client.StopAsync(default);

        Assert.True((bool)ack["accepted"]!);
        Assert.Equal("2-b", (string?)ack["version"]);
        Assert.Equal("n-2-b", (string?)ack["nonce"]);
        Assert.Equal("2-b", applier.CurrentVersion);
        Assert.Equal("http://127.0.0.1:10", Assert.Single(applier.Current!.Clusters["audit-ledger"].Destinations));
        Assert.Contains("deltas=1", plane.WatchQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delta_UnknownBase_NackedNamingBothVersions()
    {
        await using var plane = await FakeControlPlane.StartAsync();
        var applier = new RecordingApplier();
        using var client = Client(plane.Address, applier);
        await client.StartAsync(default);
        plane.Push(Snapshot("1-a"), "nonce-1");
        await plane.NextAckAsync();

        plane.PushLine(Delta("3-c", "2-b", new JsonObject { ["version"] = "3-c" }));
        var nack = await plane.NextAckAsync();
        await client.StopAsync(default);

        Assert.False((bool)nack["accepted"]!);
        Assert.Equal("delta: base '2-b' is not the snapshot this sidecar holds ('1-a')", (string?)nack["errors"]![0]);
        Assert.Equal("1-a", applier.CurrentVersion);
    }

    [Fact]
    public async Task Delta_PatchedSnapshotInvalid_NackedPreviousKeepsServingAndStaysTheBase()
    {
        await using var plane = await FakeControlPlane.StartAsync();
        var applier = new RecordingApplier();
        using var client = Client(plane.Address, applier);
        await client.StartAsync(default);
        plane.Push(Snapshot("1-a"), "nonce-1");
        await plane.NextAckAsync();

        plane.PushLine(Delta("2-b", "1-a", new JsonObject { ["version"] = "2-b", ["clusters"] = new JsonObject { ["audit-ledger"] = null } }));
        var nack = await plane.NextAckAsync();
        plane.PushLine(Delta("3-c", "1-a", new JsonObject { ["version"] = "3-c" }));
        var ack = await plane.NextAckAsync();
        await client.StopAsync(default);

        Assert.False((bool)nack["accepted"]!);
        Assert.NotEmpty(nack["errors"]!.AsArray());
        Assert.True((bool)ack["accepted"]!);
        Assert.Equal("3-c", applier.CurrentVersion);
        Assert.Equal("http://127.0.0.1:9", Assert.Single(applier.Current!.Clusters["audit-ledger"].Destinations));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
