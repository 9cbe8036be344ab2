// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.LoadTest.Running;
using Acgs.Perf.Lab;

namespace Acgs.Perf.Modes;

/// <summary>What one gate run measured, for <see cref="GateLines"/>.</summary>
/// <param name="Results">Every target's rounds (direct, sidecar, nginx).</param>
/// <param name="Cpu">CPU per request of the proxies in their own slices.</param>
/// <param name="OwnAddedUs">(count, p50, p90, p99, p99.9, max) of the sidecar's own added latency in µs, or null.</param>
/// <param name="Runtime">The sidecar's GET /runtime document, or null.</param>
/// <param name="SidecarBuild">"native-aot" or "jit" (what the lab started).</param>
internal sealed record GateInputs(
    Dictionary<TargetKind, List<RunResult>> Results,
    CpuTally Cpu,
    double[]? OwnAddedUs,
    JsonElement? Runtime,
    string SidecarBuild);
