// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.LoadTest.Builds;

namespace Acgs.Perf.Lab;

/// <summary>Starting one sidecar as it ships, shared by the labs of every mode, the mTLS pairs and the soak's mesh; which
/// build runs (Native AOT, JIT or another binary); the <c>sidecar</c> and <c>sidecar-before</c> targets.</summary>
internal sealed partial class PerfLab
{
    /// <summary>Starts one sidecar in front of the backend on loopback with <paramref name="extra"/> on top of its listener settings
    /// (free ports for every listener; <see cref="AdminToken"/> as its admin API token unless <paramref name="extra"/> sets another)
    /// and waits until it is ready (and, with <paramref name="probeInbound"/>, serves a plaintext request at its inbound port).
    /// <paramref name="start"/> starts the process (name, file, arguments, environment, inherit the runner's environment: always false here).</summary>
    internal static async Task<(ChildProcess Process, Uri Inbound, Uri Outbound, Uri Admin)> SpawnSidecarAsync(
        Func<string, string, IEnumerable<string>, IReadOnlyDictionary<string, string>, bool, ChildProcess> start,
        string binary, int backendPort, string name, IReadOnlyDictionary<string, string> extra, bool probeInbound, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(binary);
        ArgumentNullException.ThrowIfNull(extra);
        int inbound = FreePort.Next(), outbound = FreePort.Next(), admin = FreePort.Next(), bus = FreePort.Next(), busHttp = FreePort.Next();
        // As it ships: an empty environment but for the sidecar's own settings (its runtime settings are
        // built in; the gate checks them on GET /runtime), not the runner's tuned DOTNET_* variables.
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ACGS_APP_HOST"] = "127.0.0.1",
            ["ACGS_APP_PORT"] = Inv(backendPort),
            ["ACGS_INBOUND_ADDRESS"] = "127.0.0.1",
            ["ACGS_INBOUND_PORT"] = Inv(inbound),
            ["ACGS_OUTBOUND_ADDRESS"] = "127.0.0.1",
            ["ACGS_OUTBOUND_PORT"] = Inv(outbound),
            ["ACGS_ADMIN_ADDRESS"] = "127.0.0.1",
            ["ACGS_ADMIN_PORT"] = Inv(admin),
            ["ACGS_BUS_ADDRESS"] = "127.0.0.1",
            ["ACGS_BUS_PORT"] = Inv(bus),
            ["ACGS_BUS_HTTP_PORT"] = Inv(busHttp),
            ["ACGS_ADMIN_API_TOKEN"] = AdminToken, // POST /stats/latency/reset needs it (docs/sidecar-config.md)
        };
        foreach (var kv in extra)
        {
            env[kv.Key] = kv.Value;
        }

        var p = binary.EndsWith(".dll", StringComparison.Ordinal) ? start(name, "dotnet", [binary], env, false) : start(name, binary, [], env, false);
        var adminUri = Loopback(admin);
        await ReadyAsync(p, new Uri(adminUri, "health/ready"), ct).ConfigureAwait(false);
        var uri = Loopback(inbound);
        if (probeInbound)
        {
            await ReadyAsync(p, uri, ct, hashHeader: true).ConfigureAwait(false);
        }

        return (p, uri, Loopback(outbound), adminUri);
    }

    // Records a binary started for the report (once per role): the chosen sidecar build under its kind, any other
    // path (sidecar-before, an ab variant's ACGS_PERF_BINARY) as "explicit", the user's choice and never checked.
    private void Record(string role, string path, string? build = null)
    {
        if (File.Exists(path) && !_binaries.Exists(b => b.Role == role))
        {
            _binaries.Add(MeasuredBinary.Of(role, path, build ?? (path == _sidecar.Binary ? _sidecar.MeasuredBuild : "explicit")));
        }
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

        _notes.Add($"sidecar-before binary: {binary} (named by {BaselineSidecarBinaryVariable}; not checked against the sources)");
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
        Record(name, dll, kind == TargetKind.SidecarBefore ? "explicit" : null);
        log.WriteLine($"{name,-9} {uri} (pid {p.Pid}, admin {adminUri}, hash enforced)");
    }
}
