// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Text.Json.Nodes;
using Acgs.Contracts.Discovery;
using Acgs.Contracts.Health;
using Acgs.Core;
using Acgs.Sidecar.ControlPlaneClient;
using Acgs.Sidecar.Identity;
using Acgs.Sidecar.Telemetry;
using Acgs.Sidecar.Tests.Identity;
using Acgs.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Acgs.Sidecar.Tests.ControlPlaneClient;

/// <summary>
/// The real control plane (a separate process, <c>ACGS_SIDECAR_AUTH=identity</c>) and the sidecar's real identity and
/// control-plane clients: a join token gets the certificate and its control-plane token, every later call carries that token,
/// and the same workload acting for another service is refused.
/// </summary>
public sealed class WorkloadCredentialEndToEndTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "acgs-e2e", Guid.NewGuid().ToString("N"));
    private ControlPlaneProcess _plane = null!;

    public async Task InitializeAsync() => _plane = await ControlPlaneProcess.StartAsync(Path.Combine(_directory, "cp"),
        new Dictionary<string, string> { ["ACGS_SIDECAR_AUTH"] = "identity" });

    public async Task DisposeAsync()
    {
        await _plane.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Sidecar_JoinTokenOnly_WatchesAcksReportsAsItselfAndIsRefusedForAnotherService()
    {
        using var admin = _plane.AdminClient();
        var settings = IdentityTestMesh.Settings(_plane.Address, "vector-search", await IdentityTestMesh.MintAsync(admin, "vector-search")) with { NodeId = "v1" };
        var identity = new WorkloadIdentity(settings, new IdentityMetrics(new SidecarMetrics()));
        using var identityClient = new IdentityClient(_plane.Address);
        using var renewer = new IdentityRenewer(identity, identityClient, AcgsConstants.ConstitutionalHash, TimeProvider.System, NullLogger<IdentityRenewer>.Instance);
        var options = Options("vector-search", "v1");
        using var connection = new ControlPlaneConnection(options, TimeProvider.System, identity: identity);
        var applier = new RecordingApplier();
        using var watch = new ControlPlaneWatchClient(connection, applier, NullLogger<ControlPlaneWatchClient>.Instance);

        await watch.StartAsync(default);
        await renewer.StartAsync(default);
        try
        {
            await Eventually.TrueAsync(() => applier.CurrentVersion is not null, "the sidecar gets its snapshot with its workload credential");
            var report = await connection.ReportHealthAsync(new HealthReport([]), default);
            await Eventually.TrueAsync(async () => (await SidecarsAsync()).Any(s => (string?)s!["acked_version"] is not null), "the ACK is accepted");
            var agents = await connection.ReportAgentsAsync(new BusAgentReport("127.0.0.1:8080", ["vector-agent"]), default);

            using var impostor = new ControlPlaneConnection(Options("audit-ledger", "v1"), TimeProvider.System, identity: identity);
            var forged = await impostor.ReportHealthAsync(new HealthReport([]), default);
            var deregister = await impostor.DeregisterAsync(default);
            using var other = new ControlPlaneConnection(Options("vector-search", "v2"), TimeProvider.System, identity: identity);
            var otherNode = await other.AcknowledgeAsync(SnapshotAck.Answer("vector-search", "v2", "1-x", "n", ["spoofed"]), default);

            Assert.Equal(204, report.Status);
            Assert.Equal(204, agents.Status);
            Assert.Equal(403, forged.Status);
            Assert.Equal(403, deregister.Status);
            Assert.Equal(403, otherNode.Status);
            Assert.Contains("urn:acgs:sidecar-forbidden", forged.Problem, StringComparison.Ordinal);
            Assert.Equal("v1", (string?)(await SidecarsAsync()).Single()!["node_id"]);
            using var anonymous = new HttpClient { BaseAddress = _plane.Address };
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/discovery/watch?service=vector-search&node=evil&address=127.0.0.1:1")).StatusCode);
        }
        finally
        {
            await renewer.StopAsync(default);
            await watch.StopAsync(default);
        }
    }

    private ControlPlaneClientOptions Options(string service, string node) => new()
    {
        Url = _plane.Address,
        NodeId = node,
        ServiceName = service,
        InboundAddress = "127.0.0.1:21011",
        LastKnownGoodPath = Path.Combine(_directory, service + "-" + node + ".lkg.json"),
        BackoffMin = TimeSpan.FromMilliseconds(20),
        BackoffMax = TimeSpan.FromMilliseconds(200),
    };

    private async Task<JsonArray> SidecarsAsync()
    {
        using var client = new HttpClient { BaseAddress = _plane.Address };
        return JsonNode.Parse(await client.GetStringAsync("/api/v1/discovery/sidecars"))!.AsArray();
    }
}
