// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Text.Json.Nodes;
using Acgs.Sidecar.Tests.ControlPlaneClient;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Testing;

namespace Acgs.Sidecar.Tests.Metering;

/// <summary>
/// Exact accounting with the real processes: N requests through a real sidecar are N in the control plane's metering
/// API, also when the control plane (embedded store) is killed and restarted in the middle of a window, and stay N.
/// </summary>
public sealed class MeteringEndToEndTests : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "acgs-metering-e2e", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Requests_ControlPlaneKilledAndRestartedMidWindow_ExactCountOnce()
    {
        await using var app = await TestUpstream.StartAsync("svc-m");
        var port = FreePort.Get();
        var plane = await ControlPlaneProcess.StartAsync(Path.Combine(_directory, "cp"), port: port);
        try
        {
            await using var sidecar = await SidecarProcess.StartAsync(app.Port, new Dictionary<string, string>
            {
                ["ACGS_SERVICE_NAME"] = "svc-m",
                ["ACGS_NODE_ID"] = "svc-m-1",
                ["ACGS_CONTROL_PLANE_URL"] = plane.Address.ToString(),
                ["ACGS_LKG_PATH"] = Path.Combine(_directory, "svc-m.lkg.json"),
                ["ACGS_METERING_INTERVAL"] = "1",
                ["ACGS_DRAIN_TIMEOUT_SECONDS"] = "1",
            });
            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };

            await SendAsync(client, sidecar, 40, "tenant-a");
            await Eventually.TrueAsync(async () => await TotalAsync(plane, "tenant-a") == 40, "the first 40 requests reach the control plane", TimeSpan.FromSeconds(30));

            await plane.KillAsync();
            await plane.DisposeAsync();
            await SendAsync(client, sidecar, 30, "tenant-b");
            await Eventually.TrueAsync(async () => await sidecar.MetricAsync("acgs_metering_buffered_windows") >= 1, "a window is buffered during the outage", TimeSpan.FromSeconds(30));
            plane = await ControlPlaneProcess.StartAsync(Path.Combine(_directory, "cp"), port: port);
            await Eventually.TrueAsync(async () => await TotalAsync(plane, "tenant-b") == 30, "the buffered requests arrive after the restart", TimeSpan.FromSeconds(60));
            await Eventually.TrueAsync(async () => await sidecar.MetricAsync("acgs_metering_buffered_windows") == 0, "the buffer is empty", TimeSpan.FromSeconds(30));
            var shipped = await sidecar.MetricAsync("acgs_metering_windows_shipped_total");
            await SendAsync(client, sidecar, 1, "tenant-c");
            await Eventually.TrueAsync(async () => await TotalAsync(plane, "tenant-c") == 1, "one more window after the resend", TimeSpan.FromSeconds(30));

            Assert.Equal(40, await TotalAsync(plane, "tenant-a"));
            Assert.Equal(30, await TotalAsync(plane, "tenant-b"));
            Assert.True(shipped >= 2, $"windows shipped: {shipped}");
        }
        finally
        {
            await plane.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    private static async Task SendAsync(HttpClient client, SidecarProcess sidecar, int count, string tenant)
    {
        for (var i = 0; i < count; i++)
        {
            using var request = SidecarTestHost.Request(HttpMethod.Get, sidecar.Inbound, "/api/entries/" + i);
            request.Headers.Add("x-acgs-tenant", tenant);
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    /// <summary>The control plane's count for <paramref name="tenant"/> of svc-m over all time (0 when it is unreachable).</summary>
    private static async Task<long> TotalAsync(ControlPlaneProcess plane, string tenant)
    {
        using var client = new HttpClient { BaseAddress = plane.Address, Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            var answer = JsonNode.Parse(await client.GetStringAsync($"/api/v1/metering?service=svc-m&tenant={tenant}&from=0&group_by=tenant"))!;
            var total = 0L;
            foreach (var row in answer["totals"]!.AsArray())
            {
                total += (long)row!["count"]!;
            }

            return total;
        }
        catch (HttpRequestException)
        {
            return -1;
        }
    }
}
