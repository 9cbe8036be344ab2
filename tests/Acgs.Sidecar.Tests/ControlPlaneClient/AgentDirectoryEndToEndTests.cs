// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Nodes;
using Acgs.Contracts.Config;
using Acgs.Core.CircuitBreaker;
using Acgs.Sidecar.Bus;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.ControlPlaneClient;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Acgs.Sidecar.Tests.ControlPlaneClient;

/// <summary>
/// The real control plane (a separate process): one sidecar reports its bus agents, another sidecar's
/// snapshot gains them in agent_directory and its bus directory is updated through the apply path.
/// </summary>
public sealed class AgentDirectoryEndToEndTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "acgs-e2e-agents", Guid.NewGuid().ToString("N"));
    private ControlPlaneProcess _plane = null!;

    private sealed class FixedSource(string address, params string[] agents) : ILocalAgentSource
    {
        public string? BusAddress => address;

        public IReadOnlyList<string> ConnectedAgents() => agents;
    }

    /// <summary>The real apply path (ConfigApplier with a bus directory) behind the watch client.</summary>
    private sealed class ApplierAdapter(ConfigApplier applier) : ISnapshotApplier
    {
        public string? CurrentVersion => applier.CurrentOrNull?.Snapshot.Version;

        public Task<ApplyResult> ApplyAsync(ConfigSnapshot snapshot, string source, CancellationToken cancellationToken) =>
            applier.ApplyAsync(snapshot, source, cancellationToken);
    }

    public async Task InitializeAsync() => _plane = await ControlPlaneProcess.StartAsync(Path.Combine(_directory, "cp"));

    public async Task DisposeAsync()
    {
        await _plane.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private ControlPlaneClientOptions Options(string service, string node, int port) => new()
    {
        Url = _plane.Address,
        NodeId = node,
        ServiceName = service,
        InboundAddress = "127.0.0.1:" + port,
        LastKnownGoodPath = Path.Combine(_directory, node + ".lkg.json"),
        BackoffMin = TimeSpan.FromMilliseconds(20),
        BackoffMax = TimeSpan.FromMilliseconds(200),
        AgentReportInterval = TimeSpan.FromMilliseconds(50),
    };

    [Fact]
    public async Task ReportedAgents_ReachOtherSidecarsBusDirectory()
    {
        var busDirectory = new BusAgentDirectory(new Dictionary<string, string> { ["static-agent"] = "10.0.0.9:8080" });
        using var applier = new ConfigApplier(SidecarTestHost.Options(1, "vector-search"), new NoYarpValidation(), new CircuitBreakerRegistry(), TimeProvider.System, NullLogger<ConfigApplier>.Instance, agents: busDirectory);
        using var caller = new ControlPlaneWatchClient(Options("vector-search", "v1", 21101), new ApplierAdapter(applier), TimeProvider.System, NullLogger<ControlPlaneWatchClient>.Instance);
        var hostingOptions = Options("orders", "o1", 21102);
        using var hosting = new ControlPlaneWatchClient(hostingOptions, new RecordingApplier(), TimeProvider.System, NullLogger<ControlPlaneWatchClient>.Instance);
        using var reporter = new AgentReporter(hostingOptions, new FixedSource("127.0.0.1:18080", "agent-a", "agent-b"), TimeProvider.System, NullLogger<AgentReporter>.Instance);
        await caller.StartAsync(default);
        await hosting.StartAsync(default);
        await reporter.StartAsync(default);
        try
        {
            await Eventually.TrueAsync(() => busDirectory.Entries.ContainsKey("agent-b"));

            Assert.Equal("127.0.0.1:18080", busDirectory.Entries["agent-a"]);
            Assert.Equal("127.0.0.1:18080", busDirectory.Entries["agent-b"]);
            Assert.Equal("10.0.0.9:8080", busDirectory.Entries["static-agent"]);
            Assert.Equal("127.0.0.1:18080", applier.Current.Snapshot.AgentDirectory["agent-a"]);
            using var client = new HttpClient { BaseAddress = _plane.Address };
            var listed = JsonNode.Parse(await client.GetStringAsync("/api/v1/discovery/agents"))!;
            Assert.Equal(2, (int)listed["count"]!);
            Assert.True(reporter.Reports >= 1);
        }
        finally
        {
            await reporter.StopAsync(default);
            await hosting.StopAsync(default);
            await caller.StopAsync(default);
        }
    }
}
