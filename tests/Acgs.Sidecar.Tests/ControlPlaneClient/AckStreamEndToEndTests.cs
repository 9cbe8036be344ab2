// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Acgs.Contracts.Health;
using Acgs.Core;
using Acgs.Sidecar.ControlPlaneClient;
using Acgs.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Acgs.Sidecar.Tests.ControlPlaneClient;

/// <summary>
/// The real control plane (a separate process) and the sidecar's real watch client: answers go on the ACK stream the watch
/// offers (counted by <c>acgs_controlplane_ack_stream_answers_total</c>), and the control plane's convergence state is the
/// same as with one POST per answer, which a sidecar with the stream turned off (as an older sidecar) still uses.
/// </summary>
public sealed class AckStreamEndToEndTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "acgs-e2e", Guid.NewGuid().ToString("N"));
    private readonly List<(ControlPlaneWatchClient Client, ControlPlaneConnection Connection)> _sidecars = [];
    private ControlPlaneProcess _plane = null!;

    /// <summary>Short heartbeats: an idle sidecar probes its ACK stream on each (an empty line), so a closed one is found quickly.</summary>
    private static readonly Dictionary<string, string> Environment = new() { ["ACGS_WATCH_HEARTBEAT_SECONDS"] = "0.25" };

    public async Task InitializeAsync() => _plane = await ControlPlaneProcess.StartAsync(Path.Combine(_directory, "cp"), Environment);

    public async Task DisposeAsync()
    {
        foreach (var (client, connection) in _sidecars)
        {
            await client.StopAsync(default);
            client.Dispose();
            connection.Dispose();
        }

        await _plane.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Activation_AckStreamOffered_AckedOnStreamAndConfigInSync()
    {
        var (connection, applier) = await StartSidecarAsync("vector-search", "v1", ackStream: true);
        await Eventually.TrueAsync(() => applier.CurrentVersion is not null, "the first snapshot is applied");

        await ActivateBreakerAsync(failMax: 6);

        await Eventually.TrueAsync(() => applier.Current?.Inbound.Breaker?.FailMax == 6, "the activation is applied");
        await ReportAsync(connection);
        await Eventually.TrueAsync(async () => await ConfigStateAsync("vector-search") == "in_sync", "the service's config is in sync", TimeSpan.FromSeconds(30));
        var node = (await SidecarsAsync()).Single()!;
        Assert.Equal(applier.CurrentVersion, (string?)node["acked_version"]);
        var metrics = await MetricsAsync();
        Assert.True(metrics.GetValueOrDefault("acgs_controlplane_ack_stream_answers_total") >= 2, "the first snapshot and the activation were answered on the stream");
        Assert.Equal(metrics.GetValueOrDefault("acgs_controlplane_acks_total"), metrics.GetValueOrDefault("acgs_controlplane_ack_stream_answers_total"));
        Assert.Equal(0, metrics.GetValueOrDefault("acgs_controlplane_unconverged_sidecars{state=\"pending\"}"));
    }

    [Fact]
    public async Task Activation_RefusedWithAckStream_NackedOnStreamAndPreviousKeepsServing()
    {
        var (connection, applier) = await StartSidecarAsync("vector-search", "v1", ackStream: true);
        await Eventually.TrueAsync(() => applier.CurrentVersion is not null, "the first snapshot is applied");
        applier.Refuse = s => s.Inbound.Breaker?.FailMax == 8;

        await ActivateBreakerAsync(failMax: 8);

        await Eventually.TrueAsync(async () => (await SidecarsAsync()).Single()!["nacked_version"] is not null, "the NACK arrives");
        await ReportAsync(connection);
        await Eventually.TrueAsync(async () => await NodeConfigAsync("vector-search") == "nacked", "the node's config is nacked", TimeSpan.FromSeconds(30));
        var node = (await SidecarsAsync()).Single()!;
        Assert.Equal("refused by test", (string?)node["last_errors"]![0]);
        Assert.Equal((string?)node["acked_version"], applier.CurrentVersion);
        var metrics = await MetricsAsync();
        var nacks = metrics.GetValueOrDefault("acgs_controlplane_nacks_total{service=\"vector-search\"}");
        Assert.True(nacks >= 1); // a refused delta is NACKed, then the same version in full
        Assert.Equal(metrics.GetValueOrDefault("acgs_controlplane_acks_total") + nacks, metrics.GetValueOrDefault("acgs_controlplane_ack_stream_answers_total"));
        Assert.Equal(1, metrics.GetValueOrDefault("acgs_controlplane_unconverged_sidecars{state=\"nacked\"}"));
    }

    [Fact]
    public async Task Activation_AckStreamOff_AckedByPostAndConfigInSync()
    {
        var (connection, applier) = await StartSidecarAsync("vector-search", "v1", ackStream: false);
        await Eventually.TrueAsync(() => applier.CurrentVersion is not null, "the first snapshot is applied");

        await ActivateBreakerAsync(failMax: 6);

        await Eventually.TrueAsync(() => applier.Current?.Inbound.Breaker?.FailMax == 6, "the activation is applied");
        await ReportAsync(connection);
        await Eventually.TrueAsync(async () => await ConfigStateAsync("vector-search") == "in_sync", "the service's config is in sync", TimeSpan.FromSeconds(30));
        var metrics = await MetricsAsync();
        Assert.True(metrics.GetValueOrDefault("acgs_controlplane_acks_total") >= 2);
        Assert.Equal(0, metrics.GetValueOrDefault("acgs_controlplane_ack_stream_answers_total"));
    }

    [Fact]
    public async Task AckStream_ReplacedWhileWatchStaysOpen_AppliedVersionReAckedByPostAndLaterAnswersPosted()
    {
        var (_, applier) = await StartSidecarAsync("vector-search", "v1", ackStream: true);
        await Eventually.TrueAsync(async () => (string?)(await SidecarsAsync()).SingleOrDefault()?["acked_version"] is { } acked && acked == applier.CurrentVersion,
            "the first snapshot is ACKed on the stream");
        var before = await MetricsAsync();
        Assert.Equal(before.GetValueOrDefault("acgs_controlplane_acks_total"), before.GetValueOrDefault("acgs_controlplane_ack_stream_answers_total"));

        // Another ACK stream for the same node (as the sidecar's own after a reconnect) closes the sidecar's: whatever it wrote
        // there last may be lost, so it must send the ACK of its applied version again, by POST, without a new snapshot.
        using var replacement = await OpenRawAckStreamAsync("vector-search", "v1");

        var metrics = await Eventually.ValueAsync(MetricsAsync,
            m => m.GetValueOrDefault("acgs_controlplane_acks_total") > m.GetValueOrDefault("acgs_controlplane_ack_stream_answers_total"), TimeSpan.FromSeconds(30));
        Assert.Equal(before.GetValueOrDefault("acgs_controlplane_acks_total") + 1, metrics.GetValueOrDefault("acgs_controlplane_acks_total"));
        Assert.Equal(applier.CurrentVersion, (string?)(await SidecarsAsync()).Single()!["acked_version"]);

        await ActivateBreakerAsync(failMax: 6);

        await Eventually.TrueAsync(() => applier.Current?.Inbound.Breaker?.FailMax == 6, "the activation is applied");
        await Eventually.TrueAsync(async () => (string?)(await SidecarsAsync()).Single()!["acked_version"] == applier.CurrentVersion, "the activation is ACKed by POST");
        var after = await MetricsAsync();
        Assert.Equal(before.GetValueOrDefault("acgs_controlplane_ack_stream_answers_total"), after.GetValueOrDefault("acgs_controlplane_ack_stream_answers_total"));
    }

    [Fact]
    public async Task AckStream_ControlPlaneKilledAndRestarted_AppliedVersionAckedAgainAfterReconnect()
    {
        var port = _plane.Address.Port;
        var (_, applier) = await StartSidecarAsync("vector-search", "v1", ackStream: true);
        await Eventually.TrueAsync(async () => (string?)(await SidecarsAsync()).SingleOrDefault()?["acked_version"] is { } acked && acked == applier.CurrentVersion,
            "the first snapshot is ACKed on the stream");
        var applied = applier.CurrentVersion;

        await _plane.KillAsync(); // both streams die with whatever was in flight on them
        await _plane.DisposeAsync();
        _plane = await ControlPlaneProcess.StartAsync(Path.Combine(_directory, "cp"), Environment, port);

        await Eventually.TrueAsync(async () => (string?)(await SidecarsAsync()).SingleOrDefault()?["acked_version"] == applied,
            "the restarted control plane has the ACK of the applied version", TimeSpan.FromSeconds(60));
        Assert.Equal(applied, applier.CurrentVersion); // nothing new was applied: the reconnect's first line was answered with the same version
        Assert.True((await MetricsAsync()).GetValueOrDefault("acgs_controlplane_ack_stream_answers_total") >= 1, "answered on the new watch's ACK stream");
    }

    /// <summary>Opens an ACK stream as <paramref name="node"/> over a raw socket (it sends nothing) and waits until the control plane holds it.</summary>
    private async Task<System.Net.Sockets.TcpClient> OpenRawAckStreamAsync(string service, string node)
    {
        var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(_plane.Address.Host, _plane.Address.Port);
        var head = $"POST /api/v1/discovery/acks?service={service}&node={node} HTTP/1.1\r\nHost: {_plane.Address.Authority}\r\nTransfer-Encoding: chunked\r\n\r\n";
        await tcp.GetStream().WriteAsync(System.Text.Encoding.ASCII.GetBytes(head));
        return tcp;
    }

    private async Task<(ControlPlaneConnection Connection, RecordingApplier Applier)> StartSidecarAsync(string service, string node, bool ackStream)
    {
        var options = new ControlPlaneClientOptions
        {
            Url = _plane.Address,
            NodeId = node,
            ServiceName = service,
            InboundAddress = "127.0.0.1:21021",
            LastKnownGoodPath = Path.Combine(_directory, node + ".lkg.json"),
            BackoffMin = TimeSpan.FromMilliseconds(20),
            BackoffMax = TimeSpan.FromMilliseconds(200),
            AckStream = ackStream,
        };
        var connection = new ControlPlaneConnection(options, TimeProvider.System);
        var applier = new RecordingApplier();
        var client = new ControlPlaneWatchClient(connection, applier, NullLogger<ControlPlaneWatchClient>.Instance);
        _sidecars.Add((client, connection));
        await client.StartAsync(default);
        return (connection, applier);
    }

    /// <summary>A health report, so that the service has a health view to carry its config state.</summary>
    private static async Task ReportAsync(ControlPlaneConnection connection) =>
        Assert.Equal(204, (await connection.ReportHealthAsync(new HealthReport([]), default)).Status);

    private async Task ActivateBreakerAsync(int failMax)
    {
        using var admin = _plane.AdminClient();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/policies", new JsonObject { ["id"] = "mesh-breaker" })).StatusCode);
        var content = new JsonObject
        {
            ["kind"] = "CircuitBreaker",
            ["name"] = "mesh-breaker",
            ["target"] = "mesh",
            ["constitutional_hash"] = AcgsConstants.ConstitutionalHash,
            ["spec"] = new JsonObject { ["fail_max"] = failMax, ["reset_timeout_seconds"] = 20, ["failure_statuses"] = new JsonArray() },
        };
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/policies/mesh-breaker/versions", new JsonObject { ["version"] = "1.0.0", ["content"] = content })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/api/v1/policies/mesh-breaker/activate?version=1.0.0", null)).StatusCode);
    }

    private async Task<JsonArray> SidecarsAsync()
    {
        using var client = new HttpClient { BaseAddress = _plane.Address };
        return JsonNode.Parse(await client.GetStringAsync("/api/v1/discovery/sidecars"))!.AsArray();
    }

    private async Task<JsonNode?> ServiceAsync(string service)
    {
        using var client = new HttpClient { BaseAddress = _plane.Address };
        using var response = await client.GetAsync(new Uri("/api/v1/health/services/" + service, UriKind.Relative));
        return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null;
    }

    private async Task<string?> ConfigStateAsync(string service) => (string?)(await ServiceAsync(service))?["config"]?["config_state"];

    private async Task<string?> NodeConfigAsync(string service) => (string?)(await ServiceAsync(service))?["nodes"]?[0]?["config"];

    private async Task<Dictionary<string, double>> MetricsAsync()
    {
        using var client = new HttpClient { BaseAddress = _plane.Address };
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in (await client.GetStringAsync("/metrics")).Split('\n'))
        {
            var space = line.LastIndexOf(' ');
            if (line.Length > 0 && line[0] != '#' && space > 0 && double.TryParse(line.AsSpan(space + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                samples[line[..space]] = value;
            }
        }

        return samples;
    }
}
