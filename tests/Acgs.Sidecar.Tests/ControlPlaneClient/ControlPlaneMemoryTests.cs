// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Acgs.Core;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Testing;

namespace Acgs.Sidecar.Tests.ControlPlaneClient;

/// <summary>
/// The control plane's half of a restart that loses no route, on its own: the sidecars' destination grace is off, and
/// the callee's sidecar (svc-b) reaches the control plane through a gate that stays closed after the restart, so the
/// caller's sidecar (svc-a) reconnects first. Only the control plane's memory of svc-b (discovery.json, served during
/// its warm-up) keeps svc-b in the snapshot svc-a then receives.
/// </summary>
public sealed class ControlPlaneMemoryTests : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "acgs-cp-memory", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task KillAndRestart_CalleeReconnectsLast_NoFailedRequest()
    {
        await using var appB = await TestUpstream.StartAsync("svc-b");
        await using var appA = await TestUpstream.StartAsync("svc-a");
        var port = FreePort.Get();
        await using var gate = TcpGate.Start(port);
        var plane = await ControlPlaneProcess.StartAsync(Path.Combine(_directory, "cp"), port: port);
        try
        {
            await using var sidecarB = await StartSidecarAsync("svc-b", appB.Port, gate.Address);
            await using var sidecarA = await StartSidecarAsync("svc-a", appA.Port, plane.Address);
            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
            await Eventually.TrueAsync(async () => await CallAsync(client, sidecarA) == HttpStatusCode.OK, "svc-a routes to svc-b", TimeSpan.FromSeconds(60));
            var memory = Path.Combine(_directory, "cp", "discovery.json");
            await Eventually.TrueAsync(() => File.Exists(memory) && File.ReadAllText(memory).Contains("svc-b", StringComparison.Ordinal), "the control plane wrote what it knows");

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

                    await Task.Delay(50); // a steady 20 req/s
                }
            });

            gate.Blocked = true; // svc-b cannot reach the restarted control plane
            await plane.KillAsync();
            await plane.DisposeAsync();
            plane = await ControlPlaneProcess.StartAsync(Path.Combine(_directory, "cp"), port: port);
            await Eventually.TrueAsync(async () => await SidecarsAsync(plane) >= 1, "svc-a reconnected", TimeSpan.FromSeconds(60));
            await Task.Delay(5000); // svc-a holds the restarted control plane's snapshot while svc-b is away
            gate.Blocked = false;
            await Eventually.TrueAsync(async () => await SidecarsAsync(plane) >= 2, "svc-b reconnected", TimeSpan.FromSeconds(60));
            stop.Cancel();
            await load;

            Assert.True(sent > 50, $"only {sent} requests were sent");
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
            ["ACGS_DESTINATION_GRACE_SECONDS"] = "0", // the sidecars' own guard off: the control plane's memory alone
        });
}
