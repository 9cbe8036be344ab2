// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text.Json.Nodes;
using Acgs.LoadTest.Builds;
using Acgs.Perf.Lab;

namespace Acgs.Perf.Soak;

/// <summary>
/// The soak's mesh on loopback: the perf backend, the control plane (embedded store in the run's directory, killed
/// with -9 and restarted on the same port by <see cref="RestartControlPlaneAsync"/>) and two sidecars, svc-a and
/// svc-b, both fronting the backend and watching the control plane. Every child is killed on dispose.
/// </summary>
internal sealed class SoakMesh : IDisposable
{
    private const string AdminToken = "soak-admin-token-0123456789";

    // How long a child may take to answer at start (and the control plane after a kill): the host is shared.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly string _dir;
    private readonly string _controlPlaneDll;
    private readonly int _controlPlanePort = FreePort.Next();
    private readonly List<ChildProcess> _children = [];
    private ChildProcess? _controlPlane;
    private int _controlPlaneStarts;

    private SoakMesh(string dir, string controlPlaneDll)
    {
        _dir = dir;
        _controlPlaneDll = controlPlaneDll;
    }

    public SoakSidecar A { get; private set; } = null!;

    public SoakSidecar B { get; private set; } = null!;

    /// <summary>The control plane's process id (it changes with every restart).</summary>
    public int ControlPlanePid
    {
        get
        {
            try
            {
                return _controlPlane?.Pid ?? 0;
            }
            catch (InvalidOperationException)
            {
                return 0; // killed meanwhile
            }
        }
    }

    /// <summary>Which sidecar build runs (<c>native-aot</c> or <c>jit</c>).</summary>
    public string SidecarBuild { get; private set; } = "jit";

    /// <summary>Why that build (e.g. the Native AOT publish is older than its sources).</summary>
    public string SidecarNote { get; private set; } = "";

    /// <summary>The sidecar and control-plane binaries started (path, build, modification time, hash), for the report.</summary>
    public IReadOnlyList<MeasuredBinary> Binaries { get; private set; } = [];

    private Uri ControlPlane => new($"http://127.0.0.1:{_controlPlanePort}/");

    /// <summary>Starts everything and waits until svc-a routes to svc-b.</summary>
    public static async Task<SoakMesh> StartAsync(string root, string dir, CancellationToken ct)
    {
        var configuration = Environment.GetEnvironmentVariable("ACGS_CONFIGURATION") ?? "Release";
        string Dll(string project) => Path.Combine(root, project, "bin", configuration, "net10.0", Path.GetFileName(project) + ".dll");
        var mesh = new SoakMesh(dir, Dll("controlplane/Acgs.ControlPlane"));
        try
        {
            var backendPort = FreePort.Next();
            var backend = mesh.Start("backend", "dotnet", [Dll("perf/Acgs.PerfBackend"), "--port", Inv(backendPort)], new Dictionary<string, string>());
            await PerfLab.ReadyAsync(backend, new Uri($"http://127.0.0.1:{backendPort}/"), ct, within: StartTimeout).ConfigureAwait(false);
            await mesh.StartControlPlaneAsync(ct).ConfigureAwait(false);
            // The Native AOT publish when it is as new as its sources, else the JIT build ./acgs perf soak has just built.
            var choice = SidecarChoice.Resolve(root, Dll("dataplane/Acgs.Sidecar"), jit: false, built: false, explicitBinary: null);
            var sidecar = choice.Binary;
            mesh.SidecarBuild = choice.Build;
            mesh.SidecarNote = choice.Note;
            mesh.Binaries = [MeasuredBinary.Of("sidecar", sidecar, choice.MeasuredBuild), MeasuredBinary.Of("control-plane", Dll("controlplane/Acgs.ControlPlane"), "jit")];
            mesh.B = await mesh.StartSidecarAsync("svc-b", sidecar, backendPort, ct).ConfigureAwait(false);
            mesh.A = await mesh.StartSidecarAsync("svc-a", sidecar, backendPort, ct).ConfigureAwait(false);
            await PerfLab.ReadyAsync(mesh.A.Process, mesh.A.Outbound, ct, hashHeader: true, host: "svc-b", within: StartTimeout).ConfigureAwait(false);
            return mesh;
        }
        catch
        {
            mesh.Dispose();
            throw;
        }
    }

    /// <summary>Kills the control plane (-9), keeps it down for <paramref name="down"/>, starts it again and waits until both sidecars are connected.</summary>
    public async Task<(TimeSpan Ready, TimeSpan Reconnected)> RestartControlPlaneAsync(TimeSpan down, CancellationToken ct)
    {
        var killed = _controlPlane;
        _controlPlane = null; // the sampler reads no pid of a disposed process
        killed?.Dispose(); // Process.Kill: SIGKILL, no shutdown work
        await Task.Delay(down, ct).ConfigureAwait(false);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await StartControlPlaneAsync(ct).ConfigureAwait(false);
        var ready = clock.Elapsed;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (await ConnectedSidecarsAsync(http, ct).ConfigureAwait(false) < 2)
        {
            await Task.Delay(100, ct).ConfigureAwait(false);
        }

        return (ready, clock.Elapsed);
    }

    public void Dispose()
    {
        _controlPlane?.Dispose();
        foreach (var child in _children)
        {
            child.Dispose();
        }
    }

    private async Task StartControlPlaneAsync(CancellationToken ct)
    {
        var env = new Dictionary<string, string>
        {
            ["ACGS_CONTROL_PLANE_PORT"] = Inv(_controlPlanePort),
            ["ACGS_CONTROL_PLANE_BIND"] = "127.0.0.1",
            ["ACGS_DATA_DIR"] = Path.Combine(_dir, "controlplane-data"),
            ["ACGS_ADMIN_TOKEN"] = AdminToken,
            ["REDIS_URL"] = "",
            ["ACGS_API_READS"] = "open",
        };
        _controlPlane = ChildProcess.Start("controlplane-" + Inv(++_controlPlaneStarts), "dotnet", [_controlPlaneDll], env, _dir);
        await PerfLab.ReadyAsync(_controlPlane, new Uri(ControlPlane, "health/ready"), ct, within: StartTimeout).ConfigureAwait(false);
    }

    private async Task<SoakSidecar> StartSidecarAsync(string service, string binary, int backendPort, CancellationToken ct)
    {
        var watching = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ACGS_SERVICE_NAME"] = service,
            ["ACGS_NODE_ID"] = service + "-1",
            ["ACGS_CONTROL_PLANE_URL"] = ControlPlane.ToString(),
            ["ACGS_LKG_PATH"] = Path.Combine(_dir, service + ".lkg.json"),
            ["ACGS_ADMIN_API_TOKEN"] = AdminToken,
        };
        var (process, inbound, outbound, _) = await PerfLab.SpawnSidecarAsync(Start, binary, backendPort, service, watching, probeInbound: false, ct).ConfigureAwait(false);
        return new SoakSidecar(service, process, inbound, outbound);
    }

    private async Task<int> ConnectedSidecarsAsync(HttpClient http, CancellationToken ct)
    {
        try
        {
            return JsonNode.Parse(await http.GetStringAsync(new Uri(ControlPlane, "api/v1/discovery/sidecars"), ct).ConfigureAwait(false))!.AsArray().Count;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return 0;
        }
    }

    private ChildProcess Start(string name, string file, IEnumerable<string> args, IReadOnlyDictionary<string, string> env, bool inherit = true)
    {
        var child = ChildProcess.Start(name, file, args, env, _dir, inherit);
        _children.Add(child);
        return child;
    }

    private static string Inv(int value) => value.ToString(CultureInfo.InvariantCulture);
}
