// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.LoadTest.Builds;
using Acgs.LoadTest.Http;
using Acgs.Perf.Settings;

namespace Acgs.Perf.Lab;

/// <summary>Everything a perf run starts on loopback: the backend, nginx and HAProxy (one worker
/// each), plain YARP and the sidecar when its build output exists. Disposing kills every child.</summary>
internal sealed partial class PerfLab : IDisposable
{
    /// <summary>The admin token of the sidecars this runner starts (random per run).</summary>
    public static readonly string AdminToken = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>The header the sidecar's inbound path requires.</summary>
    public const string HashHeader = "X-Constitutional-Hash";

    /// <summary>The constitutional hash sent on every request.</summary>
    public const string Hash = "cdd01ef066bc6cf2";

    /// <summary>Runner environment variables with this prefix are passed, without it, to the sidecar only.</summary>
    public const string SidecarEnvPrefix = "ACGS_PERF_SIDECAR_ENV_";

    /// <summary>Runner environment variable naming another sidecar binary (.dll, or a native executable) to start.</summary>
    public const string SidecarBinaryVariable = "ACGS_PERF_SIDECAR_BINARY";

    /// <summary>Runner environment variable naming a second sidecar binary, started as the target <c>sidecar-before</c> (same-run A/B).</summary>
    public const string BaselineSidecarBinaryVariable = "ACGS_PERF_BASELINE_SIDECAR_BINARY";

    /// <summary>Where <c>./acgs perf</c> publishes the sidecar's Native AOT build, relative to the root.</summary>
    public const string SidecarAotPath = "dataplane/Acgs.Sidecar/bin/aot/Acgs.Sidecar";

    private readonly List<ChildProcess> _processes = [];
    private readonly List<Target> _targets = [];
    private readonly List<string> _notes = [];
    private string? _taskset;
    private string _proxyCpu = "0";

    private readonly ConnectionReuse _reuse;

    private readonly SidecarChoice _sidecar;
    private readonly List<MeasuredBinary> _binaries = [];

    private PerfLab(string workDir, IReadOnlyDictionary<string, string> dotnetEnvironment, ConnectionReuse reuse, SidecarChoice sidecar)
    {
        WorkDir = workDir;
        DotnetEnvironment = dotnetEnvironment;
        _reuse = reuse;
        _sidecar = sidecar;
        _notes.Add(sidecar.Note);
    }

    public string WorkDir { get; }

    /// <summary>The runtime environment every .NET target is started with.</summary>
    public IReadOnlyDictionary<string, string> DotnetEnvironment { get; }

    public IReadOnlyList<Target> Targets => _targets;

    /// <summary>What was skipped or adapted (e.g. the sidecar is not built).</summary>
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>The CPU the proxies under test are pinned to, or null when they are not pinned.</summary>
    public int? ProxyCpu => _taskset is null ? null : int.Parse(_proxyCpu, CultureInfo.InvariantCulture);

    /// <summary>Which sidecar build runs: <c>native-aot</c>, <c>jit</c> or <c>other</c> (ACGS_PERF_SIDECAR_BINARY).</summary>
    public string SidecarBuild => _sidecar.Build;

    /// <summary>Every sidecar binary started (path, build, modification time, hash), for the report.</summary>
    public IReadOnlyList<MeasuredBinary> Binaries => _binaries;

    public Target? this[TargetKind kind] => _targets.Find(t => t.Kind == kind);

    /// <summary>Starts the lab of <paramref name="settings"/>' mode with the sidecar build <paramref name="sidecar"/> (chosen, and
    /// checked, before anything starts: <see cref="SidecarChoice.Resolve"/>).</summary>
    public static async Task<PerfLab> StartAsync(PerfSettings settings, SidecarChoice sidecar, TextWriter log, CancellationToken cancellationToken)
    {
        var configuration = Environment.GetEnvironmentVariable("ACGS_CONFIGURATION") ?? "Release";
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["DOTNET_TieredPGO"] = "1",
            ["DOTNET_gcServer"] = "0",
            ["DOTNET_gcConcurrent"] = "0",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        if (settings.Tuned)
        {
            env["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1";
            env["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0";
        }

        var lab = new PerfLab(Directory.CreateTempSubdirectory("acgs-perf-").FullName, env, settings.Reuse, sidecar);
        try
        {
            if (settings.Pin)
            {
                lab.PinLoadSide();
            }

            if (settings.Mode == PerfMode.Ab && settings.Variants.Any(v => v.Hop is not null))
            {
                await lab.StartPairsAsync(settings.Root, configuration, settings, log, cancellationToken).ConfigureAwait(false);
            }
            else if (settings.Mode == PerfMode.Ab)
            {
                await lab.StartVariantsAsync(settings.Root, configuration, settings, log, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await lab.StartAllAsync(settings.Root, configuration, settings, log, cancellationToken).ConfigureAwait(false);
            }
            return lab;
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Sink?.Dispose();
        foreach (var t in _targets)
        {
            t.Dispose();
        }

        for (var i = _processes.Count - 1; i >= 0; i--)
        {
            _processes[i].Dispose();
        }

        _processes.Clear();
    }

    private static Uri Loopback(int port) => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));

    private async Task StartAllAsync(string root, string configuration, PerfSettings settings, TextWriter log, CancellationToken ct)
    {
        string Dll(string project) => BuildOutput(root, configuration, project);

        var backendPort = await StartBackendAsync(Dll("perf/Acgs.PerfBackend"), log, ct).ConfigureAwait(false);

        // A peer that fails to start is noted, not fatal: the modes that need it report the run invalid.
        await Task.WhenAll(
            Noting("nginx", StartNginxAsync(root, backendPort, log, ct)),
            Noting("haproxy", StartHaproxyAsync(root, backendPort, log, ct)),
            Noting("plain-yarp", StartPlainYarpAsync(Dll("perf/Acgs.PlainYarp"), backendPort, log, ct)),
            Noting("sidecar", StartSidecarAsync(_sidecar.Binary, backendPort, log, ct)),
            Noting("sidecar-before", StartBaselineSidecarAsync(backendPort, log, ct))).ConfigureAwait(false);
        _targets.Sort((a, b) => a.Kind.CompareTo(b.Kind));
    }

    private string BuildOutput(string root, string configuration, string project)
    {
        var (path, note) = BuildOutputPath(root, configuration, project);
        if (note is not null)
        {
            _notes.Add(note);
        }

        return path;
    }

    /// <summary>The entry assembly of <paramref name="project"/>'s build in <paramref name="configuration"/>, or in the other
    /// configuration (with a note saying so) when only that one exists.</summary>
    public static (string Path, string? Note) BuildOutputPath(string root, string configuration, string project)
    {
        var path = Path.Combine(root, project, "bin", configuration, "net10.0", Path.GetFileName(project) + ".dll");
        var other = configuration == "Release" ? "Debug" : "Release";
        var fallback = Path.Combine(root, project, "bin", other, "net10.0", Path.GetFileName(project) + ".dll");
        return !File.Exists(path) && File.Exists(fallback) ? (fallback, $"{Path.GetFileName(project)}: no {configuration} build, using the {other} build") : (path, null);
    }

    private static string Inv(int value) => value.ToString(CultureInfo.InvariantCulture);
}
