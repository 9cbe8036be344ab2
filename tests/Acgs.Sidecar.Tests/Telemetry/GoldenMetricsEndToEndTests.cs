// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Acgs.Core;
using Acgs.Sidecar.Tests.ControlPlaneClient;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Testing;

namespace Acgs.Sidecar.Tests.Telemetry;

/// <summary>
/// Golden metrics across the real processes: a real sidecar in front of an app that starts failing reports its edges to the
/// real control plane, whose success rate drops and whose score falls with it, though every breaker stays closed.
/// </summary>
public sealed class GoldenMetricsEndToEndTests : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "acgs-golden-e2e", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task UpstreamStartsFailing_SuccessRateDropsAndTheScoreFalls()
    {
        await using var app = await TestUpstream.StartAsync("svc-g");
        await using var plane = await ControlPlaneProcess.StartAsync(Path.Combine(_directory, "cp"), new Dictionary<string, string> { ["ACGS_HEALTH_REPORT_MS"] = "400" });
        await ActivateLenientBreakerAsync(plane);
        await using var sidecar = await SidecarProcess.StartAsync(app.Port, new Dictionary<string, string>
        {
            ["ACGS_SERVICE_NAME"] = "svc-g",
            ["ACGS_NODE_ID"] = "svc-g-1",
            ["ACGS_CONTROL_PLANE_URL"] = plane.Address.ToString(),
            ["ACGS_LKG_PATH"] = Path.Combine(_directory, "svc-g.lkg.json"),
            ["ACGS_HEALTH_REPORT_MS"] = "400",
            ["ACGS_DRAIN_TIMEOUT_SECONDS"] = "1",
        });
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        await Eventually.TrueAsync(async () => (await ServiceAsync(plane))?["config"]?["config_state"]?.GetValue<string>() == "in_sync",
            "the sidecar ACKs the lenient breaker", TimeSpan.FromSeconds(30));

        // healthy traffic: an inbound edge from unauthenticated callers, success rate 1, score 1
        using var healthy = new CancellationTokenSource();
        var steady = SendUntilAsync(client, sidecar, "/ok", HttpStatusCode.OK, healthy.Token);
        await Eventually.TrueAsync(async () => (await ServiceAsync(plane)) is { } view && Rate(view) == 1.0 && Edge(view, "unauthenticated") is not null,
            "the control plane sees the healthy edge", TimeSpan.FromSeconds(30));
        var before = (await ServiceAsync(plane))!;
        Assert.Equal(1.0, before["score"]!.GetValue<double>());
        Assert.True(before["rps"]!.GetValue<double>() > 0);
        Assert.True(before["p99_ms"]!.GetValue<double>() > 0);
        await healthy.CancelAsync();
        await steady;

        // the app fails every request with a 500: a server error for the golden metrics, but not a breaker failure (the
        // breaker counts 502, 503 and 504 when failure_statuses is empty), so every breaker stays closed however many
        // requests a fast machine sends before the success rate falls; only the success rate tells
        using var failing = new CancellationTokenSource();
        var broken = SendUntilAsync(client, sidecar, "/status/500", HttpStatusCode.InternalServerError, failing.Token);
        await Eventually.TrueAsync(async () => (await ServiceAsync(plane)) is { } view && Rate(view) < 0.5,
            "the success rate drops", TimeSpan.FromSeconds(30));
        var after = (await ServiceAsync(plane))!;
        var mesh = JsonNode.Parse(await Http(plane).GetStringAsync(new Uri("/api/v1/health/mesh", UriKind.Relative)))!;
        await failing.CancelAsync();
        await broken;

        Assert.Equal(0, after["open"]!.GetValue<long>());
        Assert.True(after["score"]!.GetValue<double>() < 0.5, after.ToJsonString());
        Assert.Equal("critical", after["status"]!.GetValue<string>());
        Assert.NotEqual("healthy", mesh["status"]!.GetValue<string>());
        Assert.True(Edge(after, "unauthenticated")!["errors"]!.GetValue<long>() > 0);
    }

    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    private static HttpClient Http(ControlPlaneProcess plane) => new() { BaseAddress = plane.Address, Timeout = TimeSpan.FromSeconds(5) };

    private static double? Rate(JsonNode view) => view["success_rate"]?.GetValue<double>();

    private static JsonNode? Edge(JsonNode view, string source) =>
        view["edges"]!.AsArray().FirstOrDefault(e => e!["source"]!.GetValue<string>() == source && e["destination"]!.GetValue<string>() == "svc-g");

    private static async Task<JsonNode?> ServiceAsync(ControlPlaneProcess plane)
    {
        using var client = Http(plane);
        using var response = await client.GetAsync(new Uri("/api/v1/health/services/svc-g", UriKind.Relative));
        return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null;
    }

    /// <summary>A mesh-wide breaker with the default failure statuses (502, 503, 504) and a high bar (1000 failures).</summary>
    private static async Task ActivateLenientBreakerAsync(ControlPlaneProcess plane)
    {
        using var admin = plane.AdminClient();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/policies", new JsonObject { ["id"] = "lenient" })).StatusCode);
        var content = new JsonObject
        {
            ["kind"] = "CircuitBreaker",
            ["name"] = "lenient",
            ["target"] = "mesh",
            ["constitutional_hash"] = AcgsConstants.ConstitutionalHash,
            ["spec"] = new JsonObject { ["fail_max"] = 1000, ["reset_timeout_seconds"] = 20, ["failure_statuses"] = new JsonArray() },
        };
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/policies/lenient/versions", new JsonObject { ["version"] = "1.0.0", ["content"] = content })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/api/v1/policies/lenient/activate?version=1.0.0", null)).StatusCode);
    }

    private static async Task SendUntilAsync(HttpClient client, SidecarProcess sidecar, string path, HttpStatusCode expected, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            using var request = SidecarTestHost.Request(HttpMethod.Get, sidecar.Inbound, path);
            using var response = await client.SendAsync(request, CancellationToken.None);
            Assert.Equal(expected, response.StatusCode);
        }
    }
}
