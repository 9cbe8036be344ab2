// Constitutional Hash: cdd01ef066bc6cf2

using System.Net.Sockets;
using Acgs.Sidecar.Tests.Bus;
using Acgs.Sidecar.Tests.ControlPlaneClient;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Testing;

namespace Acgs.Sidecar.Tests.Metering;

/// <summary>
/// Exact accounting with the real processes: HTTP requests to a service's sidecar (<c>svc-m</c>) and bus messages from
/// tools on a caller's sidecar (<c>svc-caller</c>, its bus HTTP API) to agents on the service's sidecar (a peer link) are
/// exactly as many in the control plane's metering API — each request
/// once, by <c>svc-m</c>; each message once, by <c>svc-caller</c> where it enters the mesh — also when the control plane
/// (embedded store) is killed in the middle of a window while traffic flows, and restarted: the sidecar's buffered windows
/// are sent again and nothing is counted twice.
/// </summary>
public sealed partial class MeteringEndToEndTests : IAsyncDisposable
{
    private static readonly string[] Tenants = ["tenant-a", "tenant-b", "tenant-c"];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "acgs-metering-e2e", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task RequestsAndBusMessages_TwoSidecarsControlPlaneKilledAndRestartedMidWindow_ExactCountsOnce()
    {
        await using var app = await TestUpstream.StartAsync("svc-m");
        var port = FreePort.Get();
        var plane = await ControlPlaneProcess.StartAsync(Path.Combine(_directory, "cp"), port: port);
        var inboxes = new Dictionary<string, Socket>(StringComparer.Ordinal);
        var senders = new Dictionary<string, HttpClient>(StringComparer.Ordinal);
        try
        {
            await using var service = await SidecarProcess.StartAsync(app.Port, Settings(plane, "svc-m"));
            foreach (var tenant in Tenants)
            {
                inboxes[tenant] = await BusRawHost.RegisterOnAsync(service.BusPort, Inbox(tenant), tenant);
            }

            var directory = string.Join(',', Tenants.Select(t => $"{Inbox(t)}=127.0.0.1:{service.BusPort}"));
            await using var caller = await SidecarProcess.StartAsync(app.Port, new Dictionary<string, string>(Settings(plane, "svc-caller")) { ["ACGS_BUS_DIRECTORY"] = directory });
            foreach (var tenant in Tenants)
            {
                senders[tenant] = await BusRawHost.SenderOnAsync(caller.BusHttp, Tool(tenant), tenant);
            }

            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
            var expected = new Dictionary<string, long>(StringComparer.Ordinal);

            // before the outage: 40 requests and 20 messages arrive
            await TrafficAsync(client, service, senders, inboxes, "tenant-a", 40, 20, expected);
            Assert.Equal(Render(expected), await ArrivedAsync(plane, expected, TimeSpan.FromSeconds(30)));

            // killed while traffic flows (in the middle of a window, maybe of a batch), more traffic during the outage
            await TrafficAsync(client, service, senders, inboxes, "tenant-b", 15, 10, expected);
            await plane.KillAsync();
            await plane.DisposeAsync();
            await TrafficAsync(client, service, senders, inboxes, "tenant-b", 15, 10, expected);
            await Eventually.TrueAsync(async () => await service.MetricAsync("acgs_metering_buffered_windows") >= 1 && await caller.MetricAsync("acgs_metering_buffered_windows") >= 1,
                "both sidecars buffer windows during the outage", TimeSpan.FromSeconds(30));

            plane = await ControlPlaneProcess.StartAsync(Path.Combine(_directory, "cp"), port: port);
            Assert.Equal(Render(expected), await ArrivedAsync(plane, expected, TimeSpan.FromSeconds(60)));
            foreach (var sidecar in new[] { service, caller })
            {
                await Eventually.TrueAsync(async () => await sidecar.MetricAsync("acgs_metering_buffered_windows") == 0, "the buffers are empty", TimeSpan.FromSeconds(30));
            }

            // after the resend: one more of each arrives, and nothing before it was counted twice
            await TrafficAsync(client, service, senders, inboxes, "tenant-c", 1, 1, expected);
            Assert.Equal(Render(expected), await ArrivedAsync(plane, expected, TimeSpan.FromSeconds(30)));
            Assert.Equal(0, await service.MetricAsync("acgs_metering_dropped_total"));
            Assert.Equal(0, await caller.MetricAsync("acgs_metering_dropped_total"));
        }
        finally
        {
            foreach (var sender in senders.Values)
            {
                sender.Dispose();
            }

            foreach (var inbox in inboxes.Values)
            {
                inbox.Dispose();
            }

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

    private Dictionary<string, string> Settings(ControlPlaneProcess plane, string service) => new()
    {
        ["ACGS_SERVICE_NAME"] = service,
        ["ACGS_NODE_ID"] = service + "-1",
        ["ACGS_CONTROL_PLANE_URL"] = plane.Address.ToString(),
        ["ACGS_LKG_PATH"] = Path.Combine(_directory, service + ".lkg.json"),
        ["ACGS_METERING_INTERVAL"] = "1",
        ["ACGS_DRAIN_TIMEOUT_SECONDS"] = "1",
    };

    private static string Inbox(string tenant) => "inbox-" + tenant;

    private static string Tool(string tenant) => "tool-" + tenant;
}
