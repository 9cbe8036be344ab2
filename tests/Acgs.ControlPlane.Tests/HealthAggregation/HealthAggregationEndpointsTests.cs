// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Acgs.ControlPlane.HealthAggregation;
using Microsoft.Extensions.DependencyInjection;

namespace Acgs.ControlPlane.Tests.HealthAggregation;

/// <summary><c>/api/v1/health/...</c> on a real control plane (embedded store, sidecar token set).</summary>
public sealed class HealthAggregationEndpointsTests : IAsyncLifetime
{
    private const string SidecarToken = "sidecar-token-for-tests-42";
    private readonly string _directory = ControlPlaneHost.NewDataDirectory();
    private ControlPlaneHost _host = null!;
    private HttpClient _sidecar = null!;

    public async Task InitializeAsync()
    {
        _host = await ControlPlaneHost.StartEmbeddedAsync(_directory, extra: new Dictionary<string, string?> { ["ACGS_SIDECAR_TOKEN"] = SidecarToken });
        _sidecar = SidecarClient(_host.Address);
    }

    public async Task DisposeAsync()
    {
        _sidecar.Dispose();
        await _host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static HttpClient SidecarClient(Uri address)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SidecarToken);
        return client;
    }

    private static JsonObject Report(params (string Name, string State)[] clusters) =>
        new() { ["clusters"] = new JsonArray([.. clusters.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["state"] = c.State })]) };

    [Fact]
    public async Task Report_WithoutToken_UnauthorizedAndNothingRecorded()
    {
        var response = await _host.Client.PutAsJsonAsync("/api/v1/health/orders/n1", Report(("a", "closed")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Client.GetAsync("/api/v1/health/services/orders")).StatusCode);
    }

    [Fact]
    public async Task Report_WrongToken_Unauthorized()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/health/orders/n1") { Content = JsonContent.Create(Report(("a", "closed"))) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token-at-all");

        var response = await _host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Report_BadFields_400ListsEveryProblemAndChangesNothing()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await _sidecar.PutAsJsonAsync("/api/v1/health/orders/n1", Report(("a", "closed")))).StatusCode);

        var response = await _sidecar.PutAsJsonAsync("/api/v1/health/orders/n1", Report(("a", "open"), ("", "closed"), ("c", "sideways")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsArray().Select(e => (string)e!).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("clusters[1].name:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("clusters[2].state:", StringComparison.Ordinal));
        var service = JsonNode.Parse(await _host.Client.GetStringAsync("/api/v1/health/services/orders"))!;
        Assert.Equal(1.0, (double)service["score"]!);
        Assert.Equal(1, (int)service["closed"]!);
        Assert.Equal(0, (int)service["open"]!);
    }

    [Fact]
    public async Task Report_InvalidJson_400()
    {
        using var content = new StringContent("{\"clusters\":", System.Text.Encoding.UTF8, "application/json");

        var response = await _sidecar.PutAsync("/api/v1/health/orders/n1", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Report_Valid_ServicesMeshAndGaugesShowIt()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await _sidecar.PutAsJsonAsync("/api/v1/health/orders/n1", Report(("billing", "closed"), ("search", "half_open")))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _sidecar.PutAsJsonAsync("/api/v1/health/orders/n2", Report(("billing", "open"), ("search", "open")))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _sidecar.PutAsJsonAsync("/api/v1/health/billing/b1", Report())).StatusCode);

        var service = JsonNode.Parse(await _host.Client.GetStringAsync("/api/v1/health/services/orders"))!;
        Assert.Equal("critical", (string?)service["status"]);
        Assert.Equal(0.375, (double)service["score"]!, 10);
        Assert.Equal(1, (int)service["half_open"]!);
        Assert.Equal(2, service["nodes"]!.AsArray().Count);
        Assert.Equal("healthy", (string?)service["history"]![0]!["current"]);
        Assert.Null(service["history"]![0]!["previous"]);
        var all = JsonNode.Parse(await _host.Client.GetStringAsync("/api/v1/health/services"))!;
        Assert.Equal(2, (int)all["count"]!);
        Assert.Equal(["billing", "orders"], all["services"]!.AsArray().Select(s => (string)s!["service"]!).ToArray());
        var mesh = JsonNode.Parse(await _host.Client.GetStringAsync("/api/v1/health/mesh"))!;
        Assert.Equal("critical", (string?)mesh["status"]);
        Assert.Equal(4, (int)mesh["total"]!);
        Assert.Equal(3, (int)mesh["nodes"]!);
        var metrics = await _host.Client.GetStringAsync("/metrics");
        Assert.Contains("acgs_controlplane_service_health_score{service=\"orders\"} 0.375", metrics, StringComparison.Ordinal);
        Assert.Contains("acgs_controlplane_service_health_status{service=\"orders\"} 2", metrics, StringComparison.Ordinal);
        Assert.Contains("acgs_controlplane_service_health_status{service=\"billing\"} 0", metrics, StringComparison.Ordinal);
        Assert.Contains("acgs_controlplane_mesh_health_status 2", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetService_Unknown_404()
    {
        var response = await _host.Client.GetAsync("/api/v1/health/services/nobody");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Deregister_KnownNodes_204ThenServiceAndGaugesGone()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await _sidecar.PutAsJsonAsync("/api/v1/health/orders/n1", Report(("a", "closed")))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _sidecar.PutAsJsonAsync("/api/v1/health/orders/n2", Report(("a", "open")))).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await _sidecar.DeleteAsync("/api/v1/health/orders/n2")).StatusCode);

        var service = JsonNode.Parse(await _host.Client.GetStringAsync("/api/v1/health/services/orders"))!;
        Assert.Equal("healthy", (string?)service["status"]);
        Assert.Equal(["n1"], service["nodes"]!.AsArray().Select(n => (string)n!["node"]!).ToArray());
        Assert.Equal(HttpStatusCode.NoContent, (await _sidecar.DeleteAsync("/api/v1/health/orders/n1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Client.GetAsync("/api/v1/health/services/orders")).StatusCode);
        var mesh = JsonNode.Parse(await _host.Client.GetStringAsync("/api/v1/health/mesh"))!;
        Assert.Equal(0, (int)mesh["nodes"]!);
        Assert.Equal("healthy", (string?)mesh["status"]);
        Assert.DoesNotContain("service=\"orders\"", await _host.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deregister_UnknownNode_404()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await _sidecar.PutAsJsonAsync("/api/v1/health/orders/n1", Report(("a", "closed")))).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await _sidecar.DeleteAsync("/api/v1/health/orders/n2")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _sidecar.DeleteAsync("/api/v1/health/billing/n1")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await _host.Client.GetAsync("/api/v1/health/services/orders")).StatusCode);
    }

    [Fact]
    public async Task Deregister_WithoutToken_401AndNodeKept()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await _sidecar.PutAsJsonAsync("/api/v1/health/orders/n1", Report(("a", "closed")))).StatusCode);

        var response = await _host.Client.DeleteAsync("/api/v1/health/orders/n1");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.OK, (await _host.Client.GetAsync("/api/v1/health/services/orders")).StatusCode);
    }

    [Fact]
    public async Task Deregister_InvalidNames_400ListsEveryProblem()
    {
        var response = await _sidecar.DeleteAsync("/api/v1/health/Bad%20Name/n%C3%A9");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsArray().Select(e => (string)e!).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("service:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("node:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_HealthForgetSeconds_WiredIntoAggregator()
    {
        var directory = ControlPlaneHost.NewDataDirectory();
        var host = await ControlPlaneHost.StartEmbeddedAsync(directory, extra: new Dictionary<string, string?> { ["ACGS_HEALTH_FORGET_SECONDS"] = "42" });
        try
        {
            Assert.Equal(TimeSpan.FromSeconds(42), host.App.Services.GetRequiredService<HealthAggregator>().ForgetAfter);
            Assert.Equal(TimeSpan.FromMinutes(5), _host.App.Services.GetRequiredService<HealthAggregator>().ForgetAfter);
        }
        finally
        {
            await host.DisposeAsync();
            Directory.Delete(directory, recursive: true);
        }
    }
}
