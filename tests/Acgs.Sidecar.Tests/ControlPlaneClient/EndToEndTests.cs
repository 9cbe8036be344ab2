// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Acgs.Core;
using Acgs.Sidecar.ControlPlaneClient;
using Acgs.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Acgs.Sidecar.Tests.ControlPlaneClient;

/// <summary>The real control plane (a separate process) and real control-plane clients over loopback HTTP.</summary>
public sealed class EndToEndTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "acgs-e2e", Guid.NewGuid().ToString("N"));
    private readonly List<ControlPlaneWatchClient> _clients = [];
    private ControlPlaneProcess _plane = null!;

    public async Task InitializeAsync() => _plane = await ControlPlaneProcess.StartAsync(Path.Combine(_directory, "cp"));

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.StopAsync(default);
            client.Dispose();
        }

        await _plane.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<(ControlPlaneWatchClient Client, RecordingApplier Applier)> StartSidecarAsync(string service, string node, int port)
    {
        var applier = new RecordingApplier();
        var client = new ControlPlaneWatchClient(
            new ControlPlaneClientOptions
            {
                Url = _plane.Address,
                NodeId = node,
                ServiceName = service,
                InboundAddress = "127.0.0.1:" + port,
                LastKnownGoodPath = Path.Combine(_directory, node + ".lkg.json"),
                BackoffMin = TimeSpan.FromMilliseconds(20),
                BackoffMax = TimeSpan.FromMilliseconds(200),
            },
            applier,
            TimeProvider.System,
            NullLogger<ControlPlaneWatchClient>.Instance);
        _clients.Add(client);
        await client.StartAsync(default);
        return (client, applier);
    }

    private async Task ActivateBreakerAsync(string version, int failMax, bool create)
    {
        using var admin = _plane.AdminClient();
        if (create)
        {
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/policies", new JsonObject { ["id"] = "mesh-breaker" })).StatusCode);
        }

        var content = new JsonObject
        {
            ["kind"] = "CircuitBreaker",
            ["name"] = "mesh-breaker",
            ["target"] = "mesh",
            ["constitutional_hash"] = AcgsConstants.ConstitutionalHash,
            ["spec"] = new JsonObject { ["fail_max"] = failMax, ["reset_timeout_seconds"] = 20, ["failure_statuses"] = new JsonArray() },
        };
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/policies/mesh-breaker/versions", new JsonObject { ["version"] = version, ["content"] = content })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/api/v1/policies/mesh-breaker/activate?version=" + version, null)).StatusCode);
    }

    private async Task<JsonArray> SidecarsAsync()
    {
        using var client = new HttpClient { BaseAddress = _plane.Address };
        return JsonNode.Parse(await client.GetStringAsync("/api/v1/discovery/sidecars"))!.AsArray();
    }

    [Fact]
    public async Task Activation_ReachesThreeSidecars_AllAck()
    {
        var sidecars = new[]
        {
            await StartSidecarAsync("vector-search", "v1", 21001),
            await StartSidecarAsync("audit-ledger", "a1", 21002),
            await StartSidecarAsync("audit-ledger", "a2", 21003),
        };
        await Eventually.TrueAsync(() => sidecars.All(s => s.Applier.CurrentVersion is not null));

        await ActivateBreakerAsync("1.0.0", failMax: 6, create: true);

        await Eventually.TrueAsync(() => sidecars.All(s => s.Applier.Current?.Inbound.Breaker?.FailMax == 6));
        var view = await SidecarsAsync();
        Assert.Equal(3, view.Count);
        Assert.Equal(["a1", "a2", "v1"], view.Select(v => (string)v!["node_id"]!).Order(StringComparer.Ordinal));

        await Eventually.TrueAsync(() => SidecarsAsync().Result.All(v => (string?)v!["acked_version"] == (string?)v!["pushed_version"]));
        Assert.Equal(["http://127.0.0.1:21002", "http://127.0.0.1:21003"], sidecars[0].Applier.Current!.Clusters["audit-ledger"].Destinations.ToArray());
    }

    [Fact]
    public async Task Nack_PreviousSnapshotKeepsServing()
    {
        var (_, applier) = await StartSidecarAsync("vector-search", "v1", 21001);
        await Eventually.TrueAsync(() => applier.CurrentVersion is not null);
        applier.Refuse = s => s.Inbound.Breaker?.FailMax == 8;

        await ActivateBreakerAsync("1.0.0", failMax: 8, create: true);

        await Eventually.TrueAsync(() => SidecarsAsync().Result.Single()!["nacked_version"] is not null);
        var entry = (await SidecarsAsync()).Single()!;
        Assert.Equal("refused by test", (string?)entry["last_errors"]![0]);
        // The sidecar keeps serving the last snapshot it accepted (its own registration may have produced a newer
        // revision-0 snapshot before the policy, so compare with what it ACKed, not with the first one it saw).
        Assert.NotEqual((string?)entry["nacked_version"], applier.CurrentVersion);
        Assert.Equal((string?)entry["acked_version"], applier.CurrentVersion);
        Assert.NotEqual(8, applier.Current!.Inbound.Breaker?.FailMax);
    }

    [Fact]
    public async Task ControlPlaneKilled_SidecarsKeepServing_AndRestartedSidecarServesLastKnownGood()
    {
        var (client, applier) = await StartSidecarAsync("vector-search", "v1", 21001);
        await ActivateBreakerAsync("1.0.0", failMax: 4, create: true);
        await Eventually.TrueAsync(() => applier.Current?.Inbound.Breaker?.FailMax == 4);

        await _plane.KillAsync();
        await Eventually.TrueAsync(() => !client.Connected && client.Failures > 0);
        Assert.Equal(4, applier.Current?.Inbound.Breaker?.FailMax);

        await client.StopAsync(default);
        var (_, restarted) = await StartSidecarAsync("vector-search", "v1", 21001);
        Assert.Equal(applier.CurrentVersion, restarted.CurrentVersion);
        Assert.Equal(ControlPlaneWatchClient.LastKnownGoodSource, restarted.Source);
    }
}
