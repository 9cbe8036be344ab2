// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Acgs.ControlPlane.Tests.Distribution;

namespace Acgs.ControlPlane.Tests.Discovery;

/// <summary><c>PUT /api/v1/discovery/{service}/{node}/agents</c> on a real control plane (embedded store, sidecar token set).</summary>
public sealed class AgentReportTests : IAsyncLifetime
{
    private const string SidecarToken = "sidecar-token-for-tests-42";
    private readonly string _directory = ControlPlaneHost.NewDataDirectory();
    private ControlPlaneHost _host = null!;
    private HttpClient _sidecar = null!;

    public async Task InitializeAsync()
    {
        _host = await ControlPlaneHost.StartEmbeddedAsync(_directory, extra: new Dictionary<string, string?> { ["ACGS_SIDECAR_TOKEN"] = SidecarToken });
        _sidecar = SidecarClient(_host.Address, TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        _sidecar.Dispose();
        await _host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static JsonObject Report(string busAddress, params string[] agents) =>
        new() { ["bus_address"] = busAddress, ["agents"] = new JsonArray([.. agents.Select(a => (JsonNode)a)]) };

    private async Task<WatchConnection> WatchAsync(string service, string node, string address)
    {
        return await WatchConnection.OpenAsync(SidecarClient(_host.Address, Timeout.InfiniteTimeSpan), service, node, address);
    }

    private static HttpClient SidecarClient(Uri address, TimeSpan timeout)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = timeout };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SidecarToken);
        return client;
    }

    [Fact]
    public async Task Report_WithoutToken_Unauthorized()
    {
        var response = await _host.Client.PutAsJsonAsync("/api/v1/discovery/orders/n1/agents", Report("10.0.0.1:8080", "a"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Report_BadFields_400ListsEveryProblem()
    {
        var response = await _sidecar.PutAsJsonAsync("/api/v1/discovery/Bad%20Name/n1/agents", new JsonObject { ["bus_address"] = "bus.local:8080", ["agents"] = new JsonArray("ok", "", "has space") });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsArray().Select(e => (string)e!).ToList();
        Assert.Equal(4, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("service:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("bus_address:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("agents[1]:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("agents[2]:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Report_ChangesAgents_PushesSnapshotWithAgentDirectory()
    {
        await using var caller = await WatchAsync("vector-search", "v1", "127.0.0.1:15006");
        await using var host = await WatchAsync("orders", "o1", "127.0.0.1:16006");
        var first = await caller.NextSnapshotAsync();
        while (first["snapshot"]!["clusters"]!["orders"] is null)
        {
            first = await caller.NextSnapshotAsync();
        }

        Assert.Null(first["snapshot"]!["agent_directory"]?["agent-a"]);

        var put = await _sidecar.PutAsJsonAsync("/api/v1/discovery/orders/o1/agents", Report("127.0.0.1:18080", "agent-a", "agent-b"));
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        var pushed = await caller.NextSnapshotAsync();

        Assert.Equal("127.0.0.1:18080", (string?)pushed["snapshot"]!["agent_directory"]!["agent-a"]);
        Assert.Equal("127.0.0.1:18080", (string?)pushed["snapshot"]!["agent_directory"]!["agent-b"]);
        var listed = JsonNode.Parse(await _host.Client.GetStringAsync("/api/v1/discovery/agents"))!;
        Assert.Equal(2, (int)listed["count"]!);
    }

    [Fact]
    public async Task Report_SameAgentsAgain_NoNewPush()
    {
        await using var host = await WatchAsync("orders", "o1", "127.0.0.1:16006");
        await host.NextSnapshotAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await _sidecar.PutAsJsonAsync("/api/v1/discovery/orders/o1/agents", Report("127.0.0.1:18080", "agent-b", "agent-a"))).StatusCode);
        var pushed = await host.NextSnapshotAsync();
        Assert.NotNull(pushed["snapshot"]!["agent_directory"]!["agent-a"]);

        Assert.Equal(HttpStatusCode.NoContent, (await _sidecar.PutAsJsonAsync("/api/v1/discovery/orders/o1/agents", Report("127.0.0.1:18080", "agent-a", "agent-b", "agent-a"))).StatusCode);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.NextSnapshotAsync(TimeSpan.FromMilliseconds(700)));
    }
}
