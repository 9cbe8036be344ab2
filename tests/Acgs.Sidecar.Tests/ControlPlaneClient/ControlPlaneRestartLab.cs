// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Acgs.Core;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Testing;

namespace Acgs.Sidecar.Tests.ControlPlaneClient;

/// <summary>
/// What the control-plane restart tests share: a run directory (the control plane's store in <c>cp</c>, the sidecars'
/// last-known-good files), real sidecar processes watching a control plane, svc-a calling svc-b through its outbound
/// listener, the control plane killed (-9) and started again on its port, and its count of connected sidecars.
/// </summary>
internal sealed class ControlPlaneRestartLab : IAsyncDisposable
{
    private readonly string _directory;

    public ControlPlaneRestartLab(string name)
    {
        _directory = Path.Combine(Path.GetTempPath(), name, Guid.NewGuid().ToString("N"));
    }

    /// <summary>The control plane's data directory.</summary>
    public string ControlPlaneData => Path.Combine(_directory, "cp");

    /// <summary>A client for <see cref="CallAsync"/> (no proxy, 10 s per call).</summary>
    public static HttpClient Client() => new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Starts the control plane on <paramref name="port"/> (a free one when null) with its store in <see cref="ControlPlaneData"/>.</summary>
    public Task<ControlPlaneProcess> StartControlPlaneAsync(int? port = null) => ControlPlaneProcess.StartAsync(ControlPlaneData, port: port);

    /// <summary>Kills <paramref name="plane"/> (-9), keeps it down for <paramref name="down"/> and starts it again on <paramref name="port"/>.</summary>
    public async Task<ControlPlaneProcess> KillAndRestartAsync(ControlPlaneProcess plane, int port, TimeSpan down)
    {
        ArgumentNullException.ThrowIfNull(plane);
        await plane.KillAsync();
        await plane.DisposeAsync();
        if (down > TimeSpan.Zero)
        {
            await Task.Delay(down); // the scenario's outage, not a wait for a condition
        }

        return await StartControlPlaneAsync(port);
    }

    /// <summary>Starts the sidecar of <paramref name="service"/> in front of <paramref name="appPort"/>, watching <paramref name="controlPlane"/>, with <paramref name="extra"/> settings on top.</summary>
    public Task<SidecarProcess> StartSidecarAsync(string service, int appPort, Uri controlPlane, IReadOnlyDictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["ACGS_SERVICE_NAME"] = service,
            ["ACGS_NODE_ID"] = service + "-1",
            ["ACGS_CONTROL_PLANE_URL"] = controlPlane.ToString(),
            ["ACGS_LKG_PATH"] = Path.Combine(_directory, service + ".lkg.json"),
            ["ACGS_DRAIN_TIMEOUT_SECONDS"] = "1",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return SidecarProcess.StartAsync(appPort, settings);
    }

    /// <summary>Waits until <paramref name="caller"/> (svc-a) routes to svc-b.</summary>
    public static Task WaitRoutedAsync(HttpClient client, SidecarProcess caller) =>
        Eventually.TrueAsync(async () => await CallAsync(client, caller) == HttpStatusCode.OK, "svc-a routes to svc-b", TimeSpan.FromSeconds(60));

    /// <summary>One call from <paramref name="caller"/>'s outbound listener to svc-b: its status, or null on a transport error.</summary>
    public static async Task<HttpStatusCode?> CallAsync(HttpClient client, SidecarProcess caller)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(caller);
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

    /// <summary>How many sidecars <paramref name="plane"/> counts as connected (0 while it does not answer).</summary>
    public static async Task<int> SidecarsAsync(ControlPlaneProcess plane)
    {
        ArgumentNullException.ThrowIfNull(plane);
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

    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
