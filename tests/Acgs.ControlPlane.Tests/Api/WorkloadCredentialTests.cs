// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Acgs.ControlPlane.Tests.Distribution;

namespace Acgs.ControlPlane.Tests.Api;

/// <summary>
/// The attacks of a sidecar acting for another (issue: per-workload control-plane credentials), on a real control plane with
/// <c>ACGS_SIDECAR_AUTH=identity</c>: each sidecar call is allowed for the workload's own service and node only.
/// </summary>
public sealed class WorkloadCredentialTests : IAsyncLifetime
{
    private readonly string _directory = ControlPlaneHost.NewDataDirectory();
    private ControlPlaneHost _host = null!;
    private HttpClient _orders = null!;

    public async Task InitializeAsync()
    {
        _host = await ControlPlaneHost.StartEmbeddedAsync(_directory, extra: new Dictionary<string, string?> { ["ACGS_SIDECAR_AUTH"] = "identity" });
        _orders = WorkloadClients.Client(_host.Address, await WorkloadClients.TokenAsync(_host, "orders", "orders-1"));
    }

    public async Task DisposeAsync()
    {
        _orders.Dispose();
        await _host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Watch_OtherServiceWithWorkloadToken_403AuditedAndNotRegistered()
    {
        var response = await _orders.GetAsync("/api/v1/discovery/watch?service=audit-ledger&node=evil&address=127.0.0.1:1", HttpCompletionOption.ResponseHeadersRead);

        await AssertForbiddenAsync(response);
        Assert.DoesNotContain("audit-ledger", await _host.Client.GetStringAsync("/api/v1/discovery/sidecars"), StringComparison.Ordinal);
        var snapshot = await (await _host.Client.GetAsync("/api/v1/discovery/snapshots/audit-ledger")).Content.ReadAsStringAsync(); // 404: never registered
        Assert.DoesNotContain("127.0.0.1:1", snapshot, StringComparison.Ordinal);
        var audit = JsonNode.Parse(await _host.Client.GetStringAsync("/api/v1/audit"))!;
        var entry = audit["entries"]!.AsArray().Last(e => (string)e!["action"]! == "sidecar.forbidden")!;
        Assert.Equal("spiffe://acgs.local/svc/orders", (string?)entry["actor"]);
        Assert.Contains("route=watch service=audit-ledger node=evil", (string?)entry["detail"], StringComparison.Ordinal);
        Assert.True((bool)audit["chain_valid"]!);
        Assert.Contains("acgs_controlplane_sidecar_auth_total{route=\"watch\",result=\"forbidden\"} 1", await _host.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgentReport_OtherServiceClaimingItsAgent_403AndDirectoryUnchanged()
    {
        var response = await _orders.PutAsJsonAsync("/api/v1/discovery/audit-ledger/evil/agents",
            new JsonObject { ["bus_address"] = "127.0.0.1:9", ["agents"] = new JsonArray("rust-message-bus-agent") });

        await AssertForbiddenAsync(response);
        Assert.DoesNotContain("rust-message-bus-agent", await _host.Client.GetStringAsync("/api/v1/discovery/agents"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthReport_FakeAllOpenForOtherService_403AndNothingAggregated()
    {
        var response = await _orders.PutAsJsonAsync("/api/v1/health/audit-ledger/evil", WorkloadClients.HealthReport("open"));

        await AssertForbiddenAsync(response);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Client.GetAsync("/api/v1/health/services/audit-ledger")).StatusCode);
    }

    [Fact]
    public async Task MeteringWindows_OtherServiceWithWorkloadToken_403NothingStored()
    {
        var start = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds();
        var window = new JsonObject
        {
            ["id"] = $"audit-ledger/evil/{start}/0", ["service"] = "audit-ledger", ["node"] = "evil", ["start_unix_ms"] = start, ["end_unix_ms"] = start + 10_000,
            ["rows"] = new JsonArray(new JsonObject
            {
                ["kind"] = "http", ["source"] = "orders", ["operation"] = "/api", ["tenant"] = "-", ["status_class"] = 2,
                ["count"] = 1_000_000, ["request_bytes"] = 0, ["response_bytes"] = 0, ["duration_us"] = 0,
            }),
        };

        var response = await _orders.PostAsJsonAsync("/api/v1/metering/windows", new JsonObject { ["windows"] = new JsonArray(window) });

        await AssertForbiddenAsync(response);
        Assert.Equal(0, (int)JsonNode.Parse(await _host.Client.GetStringAsync("/api/v1/metering?from=0"))!["windows"]!);
    }

    [Fact]
    public async Task AckAndDeregister_OtherServiceOrOtherNode_403()
    {
        await AssertForbiddenAsync(await _orders.PostAsJsonAsync("/api/v1/discovery/ack", WorkloadClients.Ack("audit-ledger", "audit-ledger-1")));
        await AssertForbiddenAsync(await _orders.PostAsJsonAsync("/api/v1/discovery/ack", WorkloadClients.Ack("orders", "orders-2")));
        await AssertForbiddenAsync(await _orders.DeleteAsync("/api/v1/health/audit-ledger/audit-ledger-1"));
        await AssertForbiddenAsync(await _orders.DeleteAsync("/api/v1/health/orders/orders-2"));
    }

    [Fact]
    public async Task OwnServiceAndNode_WatchReportAckDeregister_Accepted()
    {
        await using var watch = await WatchConnection.OpenAsync(WorkloadClients.Client(_host.Address, (string)_orders.DefaultRequestHeaders.Authorization!.Parameter!), "orders", "orders-1", "127.0.0.1:15006");
        var snapshot = await watch.NextSnapshotAsync();

        var ack = WorkloadClients.Ack("orders", "orders-1");
        ack["version"] = (string)snapshot["version"]!;
        ack["nonce"] = (string)snapshot["nonce"]!;
        ack["accepted"] = true;
        ack["errors"] = new JsonArray();
        Assert.Equal(HttpStatusCode.NoContent, (await _orders.PostAsJsonAsync("/api/v1/discovery/ack", ack)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _orders.PutAsJsonAsync("/api/v1/health/orders/orders-1", WorkloadClients.HealthReport("closed"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _orders.PutAsJsonAsync("/api/v1/discovery/orders/orders-1/agents",
            new JsonObject { ["bus_address"] = "127.0.0.1:8080", ["agents"] = new JsonArray("orders-agent") })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _orders.DeleteAsync("/api/v1/health/orders/orders-1")).StatusCode);
        var sidecars = JsonNode.Parse(await _host.Client.GetStringAsync("/api/v1/discovery/sidecars"))!.AsArray();
        Assert.Equal((string)snapshot["version"]!, (string?)sidecars.Single()!["acked_version"]);
    }

    [Fact]
    public async Task SidecarRoutes_AnonymousOrTamperedOrSharedLookalike_401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.Client.GetAsync("/api/v1/discovery/watch?service=audit-ledger&node=evil&address=127.0.0.1:1")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.Client.PutAsJsonAsync("/api/v1/health/audit-ledger/evil", WorkloadClients.HealthReport("open"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.Client.DeleteAsync("/api/v1/health/audit-ledger/n")).StatusCode);
        var token = (string)_orders.DefaultRequestHeaders.Authorization!.Parameter!;
        var parts = token.Split('.');
        var forged = parts[0] + "." + (parts[1][0] == 'A' ? 'B' : 'A') + parts[1][1..] + "." + parts[2];
        using var tampered = WorkloadClients.Client(_host.Address, forged);
        using var other = WorkloadClients.Client(_host.Address, "some-shared-sidecar-token-0123456789");

        Assert.Equal(HttpStatusCode.Unauthorized, (await tampered.PutAsJsonAsync("/api/v1/health/orders/orders-1", WorkloadClients.HealthReport("closed"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.PutAsJsonAsync("/api/v1/health/orders/orders-1", WorkloadClients.HealthReport("closed"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Client.GetAsync("/api/v1/health/services/audit-ledger")).StatusCode);
    }

    private static async Task AssertForbiddenAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("urn:acgs:sidecar-forbidden", (string?)JsonNode.Parse(text)!["type"]);
        Assert.DoesNotContain("acgs-wt1.", text, StringComparison.Ordinal);
    }
}
