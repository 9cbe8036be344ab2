// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Perf.Ab;
using Acgs.Perf.Settings;

namespace Acgs.Perf.Lab;

/// <summary>The lab of <c>./acgs perf ab</c>: the backend and one sidecar per environment variant (the same
/// binary unless a variant names its own with <see cref="AbVariant.BinaryKey"/>, each its own process, all pinned
/// like the sidecar of the other modes), plus the OTLP sink when a variant exports spans. Targets are named after
/// the variants.</summary>
internal sealed partial class PerfLab
{
    private readonly Dictionary<string, int> _sinkPorts = new(StringComparer.Ordinal);

    /// <summary>The OTLP/HTTP sink of the traced variants, or null.</summary>
    public OtlpSink? Sink { get; private set; }

    /// <summary>The sink port of variant <paramref name="name"/>, or null when it exports nothing.</summary>
    public int? SinkPort(string name) => _sinkPorts.TryGetValue(name, out var port) ? port : null;

    private async Task StartVariantsAsync(string root, string configuration, PerfSettings settings, TextWriter log, CancellationToken ct)
    {
        var backendPort = await StartBackendAsync(BuildOutput(root, configuration, "perf/Acgs.PerfBackend"), log, ct).ConfigureAwait(false);
        foreach (var v in settings.Variants)
        {
            if (v.NeedsOtlpSink)
            {
                _sinkPorts[v.Name] = FreePort.Next();
            }
        }

        if (_sinkPorts.Count > 0)
        {
            Sink = await OtlpSink.StartAsync([.. _sinkPorts.Values], ct).ConfigureAwait(false);
            log.WriteLine($"otlp sink 127.0.0.1 ports {string.Join(", ", _sinkPorts.Values)} (POST /v1/traces -> 200)");
        }

        var binary = _sidecar.Binary;
        foreach (var v in settings.Variants)
        {
            // One at a time: start-up (JIT or not) must not overlap another variant's.
            var env = new Dictionary<string, string>(v.Resolve(SinkPort(v.Name) is { } port ? OtlpSink.BaseAddress(port) : null), StringComparer.Ordinal);
            var own = binary;
            if (env.Remove(AbVariant.BinaryKey, out var path))
            {
                // A build of its own (e.g. one published with other properties): a same-run A/B of binaries.
                own = Path.GetFullPath(path);
                _notes.Add($"{v.Name} binary: {own}");
            }

            await StartSidecarAsync(own, backendPort, log, ct, TargetKind.Sidecar, v.Name, env).ConfigureAwait(false);
            if (this[v.Name] is null)
            {
                throw new InvalidOperationException($"variant {v.Name} did not start: {string.Join("; ", _notes)}");
            }
        }
    }

    /// <summary>The target named <paramref name="name"/>, or null.</summary>
    public Target? this[string name] => _targets.Find(t => t.Name == name);
}
