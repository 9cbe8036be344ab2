// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Acgs.Core.CircuitBreaker;
using Acgs.Sidecar.ControlPlaneClient;
using Acgs.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Acgs.Sidecar.Tests.ControlPlaneClient;

/// <summary>
/// Recovery across both planes: the real control plane (a separate process) sees a service turn CRITICAL then HEALTHY
/// through health reports, and its breaker reset closes the breakers of that service in real watch clients' registries.
/// </summary>
public sealed class RecoveryEndToEndTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "acgs-e2e-recovery", Guid.NewGuid().ToString("N"));
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

    private async Task<(CircuitBreakerRegistry Registry, RecordingApplier Applier)> StartSidecarAsync(string service, string node, int port)
    {
        var registry = new CircuitBreakerRegistry();
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
            NullLogger<ControlPlaneWatchClient>.Instance,
            new BreakerResetter(registry, NullLogger<BreakerResetter>.Instance));
        _clients.Add(client);
        await client.StartAsync(default);
        await Eventually.TrueAsync(() => applier.Current is not null);
        return (registry, applier);
    }

    private async Task ReportAsync(string state)
    {
        using var client = new HttpClient { BaseAddress = _plane.Address };
        var body = new JsonObject { ["clusters"] = new JsonArray(new JsonObject { ["name"] = "inbound|orders", ["state"] = state }) };
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsJsonAsync("/api/v1/health/orders/o1", body)).StatusCode);
    }

    [Fact]
    public async Task ServiceRecovers_BreakersOfThatServiceClosedInEverySidecar()
    {
        var (caller, callerApplier) = await StartSidecarAsync("frontend", "f1", 16001);
        var (own, _) = await StartSidecarAsync("orders", "o1", 16002);

        // The snapshot orders' arrival causes reaches the caller before the reset (a later push would supersede it).
        await Eventually.TrueAsync(() => callerApplier.Current!.Clusters.ContainsKey("orders"));
        caller.Get("orders").Isolate();
        caller.Get("billing").Isolate();
        own.Get("inbound|orders").Isolate();

        await ReportAsync("open");
        using (var client = new HttpClient { BaseAddress = _plane.Address })
        {
            var tasks = JsonNode.Parse(await client.GetStringAsync("/api/v1/recovery/tasks"))!;
            Assert.Equal("orders", (string?)tasks["tasks"]![0]!["service"]);
        }

        await ReportAsync("closed");

        await Eventually.TrueAsync(() => caller.Get("orders").State == CircuitState.Closed && own.Get("inbound|orders").State == CircuitState.Closed);
        Assert.Equal(CircuitState.Open, caller.Get("billing").State);
    }
}
