// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Globalization;
using System.Net;
using Acgs.Core;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Testing;

namespace Acgs.Sidecar.Tests.ControlPlaneClient;

/// <summary>
/// A control-plane restart loses no route: the real control plane and two real sidecars as processes, svc-a calling
/// svc-b through both while the control plane is killed (-9) and restarted; and SIGTERM ends the control plane's watch
/// streams at once, so it exits promptly with sidecars connected.
/// </summary>
public sealed class ControlPlaneRestartTests : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "acgs-cp-restart", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Sigterm_WithConnectedSidecar_ExitsWithinTwoSeconds()
    {
        await using var app = await TestUpstream.StartAsync("app");
        var plane = await ControlPlaneProcess.StartAsync(Path.Combine(_directory, "cp"));
        await using var _ = plane;
        await using var sidecar = await StartSidecarAsync("svc-a", app.Port, plane.Address);
        await Eventually.TrueAsync(async () => (await sidecar.AdminTextAsync("config_dump")).Contains("\"source\": \"control-plane\"", StringComparison.Ordinal)
            || (await sidecar.AdminTextAsync("config_dump")).Contains("\"source\":\"control-plane\"", StringComparison.Ordinal), "the sidecar holds a watch stream");

        var (elapsed, exitCode) = await plane.TerminateAsync();

        Assert.True(elapsed < TimeSpan.FromSeconds(2), $"the control plane took {elapsed.TotalMilliseconds:0} ms to exit after SIGTERM");
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task KillAndRestart_SteadyRequestsThroughTwoSidecars_NoFailedRequest()
    {
        await using var appB = await TestUpstream.StartAsync("svc-b");
        await using var appA = await TestUpstream.StartAsync("svc-a");
        var port = FreePort.Get();
        var plane = await ControlPlaneProcess.StartAsync(Path.Combine(_directory, "cp"), port: port);
        try
        {
            await using var sidecarB = await StartSidecarAsync("svc-b", appB.Port, plane.Address);
            await using var sidecarA = await StartSidecarAsync("svc-a", appA.Port, plane.Address);
            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
            await Eventually.TrueAsync(async () => await CallAsync(client, sidecarA) == HttpStatusCode.OK, "svc-a routes to svc-b", TimeSpan.FromSeconds(60));

            var failures = new List<string>();
            var sent = 0;
            using var stop = new CancellationTokenSource();
            var load = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    sent++;
                    var status = await CallAsync(client, sidecarA);
                    if (status != HttpStatusCode.OK)
                    {
                        failures.Add(status?.ToString() ?? "transport error");
                    }

                    await Task.Delay(50); // a steady 20 req/s, the load of the scenario
                }
            });

            await Task.Delay(1000); // requests before the crash
            await plane.KillAsync();
            await plane.DisposeAsync();
            await Task.Delay(3000); // the control plane is down
            plane = await ControlPlaneProcess.StartAsync(Path.Combine(_directory, "cp"), port: port);
            await Eventually.TrueAsync(async () => await SidecarsAsync(plane) >= 2, "both sidecars reconnected", TimeSpan.FromSeconds(60));
            await Task.Delay(5000); // requests after both reconnected (the window in which routes were dropped)
            stop.Cancel();
            await load;

            Assert.True(sent > 100, $"only {sent} requests were sent");
            Assert.Empty(failures);
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

    private static async Task<HttpStatusCode?> CallAsync(HttpClient client, SidecarProcess caller)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(caller.Outbound, "/work"));
            request.Headers.Host = "svc-b";
            request.Headers.Add("X-Constitutional-Hash", AcgsConstants.ConstitutionalHash);
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task<int> SidecarsAsync(ControlPlaneProcess plane)
    {
        using var client = new HttpClient { BaseAddress = plane.Address };
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(await client.GetStringAsync("/api/v1/discovery/sidecars"))!.AsArray().Count;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    private Task<SidecarProcess> StartSidecarAsync(string service, int appPort, Uri controlPlane) =>
        SidecarProcess.StartAsync(appPort, new Dictionary<string, string>
        {
            ["ACGS_SERVICE_NAME"] = service,
            ["ACGS_NODE_ID"] = service + "-1",
            ["ACGS_CONTROL_PLANE_URL"] = controlPlane.ToString(),
            ["ACGS_LKG_PATH"] = Path.Combine(_directory, service + ".lkg.json"),
            ["ACGS_DRAIN_TIMEOUT_SECONDS"] = "1",
        });
}
