// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Net;
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

    private PerfLab(string workDir, IReadOnlyDictionary<string, string> dotnetEnvironment, ConnectionReuse reuse)
    {
        WorkDir = workDir;
        DotnetEnvironment = dotnetEnvironment;
        _reuse = reuse;
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
    public string SidecarBuild { get; private set; } = "jit";

    public Target? this[TargetKind kind] => _targets.Find(t => t.Kind == kind);

    public static async Task<PerfLab> StartAsync(PerfSettings settings, TextWriter log, CancellationToken cancellationToken)
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

        var lab = new PerfLab(Directory.CreateTempSubdirectory("acgs-perf-").FullName, env, settings.Reuse);
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

    private static string? FindBinary(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin").Append("/usr/local/sbin"))
        {
            var path = Path.Combine(dir, name);
            if (dir.Length > 0 && File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    private async Task StartAllAsync(string root, string configuration, PerfSettings settings, TextWriter log, CancellationToken ct)
    {
        string Dll(string project) => BuildOutput(root, configuration, project);

        var backendPort = await StartBackendAsync(Dll("perf/Acgs.PerfBackend"), log, ct).ConfigureAwait(false);

        // A peer that fails to start is noted, not fatal: the modes that need it report the run invalid.
        await Task.WhenAll(
            Noting("nginx", StartNginxAsync(root, backendPort, log, ct)),
            Noting("haproxy", StartHaproxyAsync(root, backendPort, log, ct)),
            Noting("plain-yarp", StartPlainYarpAsync(Dll("perf/Acgs.PlainYarp"), backendPort, log, ct)),
            Noting("sidecar", StartSidecarAsync(SidecarBinary(root, Dll("dataplane/Acgs.Sidecar"), settings.Jit), backendPort, log, ct)),
            Noting("sidecar-before", StartBaselineSidecarAsync(backendPort, log, ct))).ConfigureAwait(false);
        _targets.Sort((a, b) => a.Kind.CompareTo(b.Kind));
    }

    private string BuildOutput(string root, string configuration, string project)
    {
        var path = Path.Combine(root, project, "bin", configuration, "net10.0", Path.GetFileName(project) + ".dll");
        var other = configuration == "Release" ? "Debug" : "Release";
        var fallback = Path.Combine(root, project, "bin", other, "net10.0", Path.GetFileName(project) + ".dll");
        if (!File.Exists(path) && File.Exists(fallback))
        {
            _notes.Add($"{Path.GetFileName(project)}: no {configuration} build, using the {other} build");
            return fallback;
        }

        return path;
    }

    private async Task<int> StartBackendAsync(string backendDll, TextWriter log, CancellationToken ct)
    {
        var backendPort = FreePort.Next();
        if (!File.Exists(backendDll))
        {
            throw new FileNotFoundException($"backend not built: {backendDll} (./acgs perf builds it)");
        }

        var backend = Start("backend", "dotnet", [backendDll, "--port", backendPort.ToString(CultureInfo.InvariantCulture)], DotnetEnvironment);
        var backendUri = Loopback(backendPort);
        await ReadyAsync(backend, backendUri, ct).ConfigureAwait(false);
        Add(TargetKind.Direct, "direct", backendUri, null, false);
        log.WriteLine($"backend   {backendUri} (pid {backend.Pid})");
        return backendPort;
    }

    // The sidecar build to measure: ACGS_PERF_SIDECAR_BINARY when set (a .dll run with dotnet, or a
    // native executable); else the Native AOT publish (what the container image runs) when it exists
    // and is not older than the JIT build; else, or with --jit, the JIT build.
    private string SidecarBinary(string root, string jitDll, bool jit)
    {
        var other = Environment.GetEnvironmentVariable(SidecarBinaryVariable);
        if (!string.IsNullOrEmpty(other))
        {
            _notes.Add($"sidecar binary: {other}");
            SidecarBuild = "other";
            return other;
        }

        var aot = Path.Combine(root, SidecarAotPath);
        if (jit)
        {
            _notes.Add("sidecar: JIT build (--jit)");
            return jitDll;
        }

        if (!File.Exists(aot))
        {
            _notes.Add($"sidecar: JIT build (no Native AOT publish at {SidecarAotPath}; ./acgs perf makes it)");
            return jitDll;
        }

        if (File.Exists(jitDll) && File.GetLastWriteTimeUtc(aot) < File.GetLastWriteTimeUtc(jitDll))
        {
            _notes.Add($"sidecar: JIT build (the Native AOT publish at {SidecarAotPath} is older than the JIT build; ./acgs perf republishes it)");
            return jitDll;
        }

        _notes.Add("sidecar: Native AOT build");
        SidecarBuild = "native-aot";
        return aot;
    }

    private async Task Noting(string name, Task start)
    {
        try
        {
            await start.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException or HttpRequestException)
        {
            lock (_notes)
            {
                _notes.Add($"{name} failed to start: {ex.Message}");
            }
        }
    }

    private async Task StartNginxAsync(string root, int backendPort, TextWriter log, CancellationToken ct)
    {
        var nginx = FindBinary("nginx");
        if (nginx is null)
        {
            _notes.Add("nginx not installed: skipped");
            return;
        }

        var dir = Directory.CreateDirectory(Path.Combine(WorkDir, "nginx")).FullName;
        var port = FreePort.Next();
        var conf = Render(Path.Combine(root, "perf/config/nginx.conf.template"), dir, port, backendPort);
        var path = Path.Combine(dir, "nginx.conf");
        await File.WriteAllTextAsync(path, conf, ct).ConfigureAwait(false);
        var p = Start("nginx", nginx, ["-e", Path.Combine(dir, "nginx-error.log"), "-p", dir, "-c", path], new Dictionary<string, string>());
        var uri = Loopback(port);
        await ReadyAsync(p, uri, ct).ConfigureAwait(false);
        Add(TargetKind.Nginx, "nginx", uri, p, false);
        log.WriteLine($"nginx     {uri} (pid {p.Pid}, 1 worker, upstream keepalive)");
    }

    private async Task StartHaproxyAsync(string root, int backendPort, TextWriter log, CancellationToken ct)
    {
        var haproxy = FindBinary("haproxy");
        if (haproxy is null)
        {
            _notes.Add("haproxy not installed: skipped");
            return;
        }

        var dir = Directory.CreateDirectory(Path.Combine(WorkDir, "haproxy")).FullName;
        var port = FreePort.Next();
        var path = Path.Combine(dir, "haproxy.cfg");
        await File.WriteAllTextAsync(path, Render(Path.Combine(root, "perf/config/haproxy.cfg.template"), dir, port, backendPort), ct).ConfigureAwait(false);
        var p = Start("haproxy", haproxy, ["-db", "-f", path], new Dictionary<string, string>());
        var uri = Loopback(port);
        await ReadyAsync(p, uri, ct).ConfigureAwait(false);
        Add(TargetKind.Haproxy, "haproxy", uri, p, false);
        log.WriteLine($"haproxy   {uri} (pid {p.Pid}, nbthread 1, http-reuse always)");
    }

    private async Task StartPlainYarpAsync(string dll, int backendPort, TextWriter log, CancellationToken ct)
    {
        if (!File.Exists(dll))
        {
            _notes.Add($"plain YARP not built ({dll}): skipped");
            return;
        }

        int port = FreePort.Next(), statsPort = FreePort.Next();
        var p = Start("plain-yarp", "dotnet", [dll, "--port", Inv(port), "--backend-port", Inv(backendPort), "--stats-port", Inv(statsPort)], DotnetEnvironment);
        var uri = Loopback(port);
        await ReadyAsync(p, uri, ct).ConfigureAwait(false);
        Add(TargetKind.PlainYarp, "plain-yarp", uri, p, false, statsUri: Loopback(statsPort));
        log.WriteLine($"plain-yarp {uri} (pid {p.Pid})");
    }

    // A/B in one run: ACGS_PERF_BASELINE_SIDECAR_BINARY (e.g. main's Native AOT publish) runs as a
    // second sidecar target, "sidecar-before", started the same way as the sidecar.
    private Task StartBaselineSidecarAsync(int backendPort, TextWriter log, CancellationToken ct)
    {
        var binary = Environment.GetEnvironmentVariable(BaselineSidecarBinaryVariable);
        if (string.IsNullOrEmpty(binary))
        {
            return Task.CompletedTask;
        }

        _notes.Add($"sidecar-before binary: {binary}");
        return StartSidecarAsync(binary, backendPort, log, ct, TargetKind.SidecarBefore, "sidecar-before");
    }

    private async Task StartSidecarAsync(string dll, int backendPort, TextWriter log, CancellationToken ct, TargetKind kind = TargetKind.Sidecar, string name = "sidecar", IReadOnlyDictionary<string, string>? variant = null)
    {
        if (!File.Exists(dll))
        {
            _notes.Add($"sidecar not built ({dll}): skipped");
            return;
        }

        // Experiments: ACGS_PERF_SIDECAR_ENV_<NAME>=<value> in the runner's environment reaches the sidecar
        // alone as <NAME>=<value> (e.g. ACGS_PERF_SIDECAR_ENV_DOTNET_TieredCompilation=0); never to sidecar-before.
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in kind == TargetKind.Sidecar ? Environment.GetEnvironmentVariables() : new System.Collections.Hashtable())
        {
            if (entry.Key is string key && key.StartsWith(SidecarEnvPrefix, StringComparison.Ordinal) && key.Length > SidecarEnvPrefix.Length)
            {
                env[key[SidecarEnvPrefix.Length..]] = entry.Value as string ?? "";
                _notes.Add($"sidecar environment: {key[SidecarEnvPrefix.Length..]}={entry.Value}");
            }
        }

        foreach (var kv in variant ?? new Dictionary<string, string>())
        {
            env[kv.Key] = kv.Value; // an ab variant's own settings (Ab/AbVariant.cs)
        }

        var (p, uri, _, adminUri) = await SpawnSidecarAsync(Start, dll, backendPort, name, env, probeInbound: true, ct).ConfigureAwait(false);
        Add(kind, name, uri, p, true, adminUri: adminUri);
        log.WriteLine($"{name,-9} {uri} (pid {p.Pid}, admin {adminUri}, hash enforced)");
    }

    private static string Inv(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Render(string template, string dir, int port, int backendPort) =>
        File.ReadAllText(template)
            .Replace("{{DIR}}", dir, StringComparison.Ordinal)
            .Replace("{{PORT}}", Inv(port), StringComparison.Ordinal)
            .Replace("{{BACKEND_PORT}}", Inv(backendPort), StringComparison.Ordinal);

    // CPU pinning (PerfSettings.Pin): the proxies under test on the last CPU, the generator (this
    // process, every thread) and the backend on CPU 0 — the way nginx and HAProxy run with one worker,
    // and the way a sidecar runs with a one-CPU limit. taskset execs the command, so pids are kept.
    private void PinLoadSide()
    {
        var taskset = FindBinary("taskset");
        if (taskset is null)
        {
            _notes.Add("taskset not installed: not pinned");
            return;
        }

        var psi = new System.Diagnostics.ProcessStartInfo(taskset) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["-a", "-cp", "0", Environment.ProcessId.ToString(CultureInfo.InvariantCulture)])
        {
            psi.ArgumentList.Add(arg);
        }

        using var self = System.Diagnostics.Process.Start(psi)!;
        _ = self.StandardOutput.ReadToEnd();
        _ = self.StandardError.ReadToEnd();
        self.WaitForExit();
        if (self.ExitCode != 0)
        {
            _notes.Add("taskset failed: not pinned");
            return;
        }

        _taskset = taskset;
        _proxyCpu = (Environment.ProcessorCount - 1).ToString(CultureInfo.InvariantCulture);
        _notes.Add($"pinned: proxies on CPU {_proxyCpu}, generator and backend on CPU 0");
    }

    private ChildProcess Start(string name, string file, IEnumerable<string> args, IReadOnlyDictionary<string, string> env, bool inherit = true)
    {
        if (_taskset is not null)
        {
            var cpu = name is "backend" or "controlplane" ? "0" : _proxyCpu;
            args = ["-c", cpu, file, .. args];
            file = _taskset;
        }

        var p = ChildProcess.Start(name, file, args, env, WorkDir, inherit);
        lock (_processes)
        {
            _processes.Add(p);
        }

        return p;
    }

    private void Add(TargetKind kind, string name, Uri uri, ChildProcess? process, bool hashHeader, Uri? adminUri = null, Uri? statsUri = null,
        ChildProcess? peer = null, Uri? peerAdminUri = null, string? host = null)
    {
        var client = new RawHttpClient(new RawHttpClientOptions
        {
            Target = uri,
            Host = host,
            Headers = hashHeader ? [new(HashHeader, Hash)] : [],
            Reuse = _reuse,
        });
        lock (_targets)
        {
            _targets.Add(new Target(kind, name, client, uri, process) { AdminUri = adminUri, StatsUri = statsUri, Peer = peer, PeerAdminUri = peerAdminUri });
        }
    }

    /// <summary>Waits until <paramref name="uri"/> answers 200 (within 45 s unless told), failing at once when <paramref name="process"/> exits.</summary>
    internal static async Task ReadyAsync(ChildProcess process, Uri uri, CancellationToken ct, bool hashHeader = false, string? host = null, TimeSpan? within = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var limit = within ?? TimeSpan.FromSeconds(45);
        var deadline = DateTimeOffset.UtcNow + limit;
        string last = "no attempt";
        while (DateTimeOffset.UtcNow < deadline)
        {
            ct.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.Name} exited during start-up; see {process.LogPath}:\n{Tail(process.LogPath)}");
            }

            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                if (hashHeader)
                {
                    request.Headers.Add(HashHeader, Hash);
                }

                if (host is not null)
                {
                    request.Headers.Host = host;
                }

                using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                last = $"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false)}";
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                last = "timeout";
            }

            await Task.Delay(200, ct).ConfigureAwait(false);
        }

        throw new TimeoutException($"{process.Name} not ready at {uri} within {limit.TotalSeconds:0} s (last: {last}); see {process.LogPath}:\n{Tail(process.LogPath)}");
    }

    private static string Tail(string path)
    {
        try
        {
            var lines = File.ReadAllLines(path);
            return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 15)));
        }
        catch (IOException)
        {
            return "";
        }
    }
}
