// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Acgs.Core;

namespace Acgs.Perf.Convergence.Multi;

/// <summary>
/// One measured activation in the multi-process mode: a new version of the mesh-wide CircuitBreaker is stored, then
/// activated through the first replica; convergence runs from just before the activation request to the last ACK any
/// watcher process saw, on every replica (an ACK sent on the ACK stream counts when it was written; <see cref="ServerMs"/> is the
/// replicas' own measure, commit → last ACK processed, from <c>acgs_controlplane_convergence_seconds</c>; the CPU window ends
/// once every replica has recorded it). Per replica: CPU over that span and its last rebuild by phase (from <c>/metrics</c>:
/// total, load, compile, serialize, queue); the watcher processes' CPU over the same span (the benchmark's own side); the
/// time the replicas (<see cref="JitMs"/>, from <c>/metrics</c> scraped before and after) and the watcher processes
/// (<see cref="WatcherJitMs"/>, since their previous answer) spent JIT-compiling; <see cref="JitKnown"/> is false when a
/// replica's <c>/metrics</c> does not carry it (a control plane built before it), so its JIT cannot be seen.
/// </summary>
internal readonly record struct ActivationRound(double ConvergenceMs, double RequestMs, double LastLineMs, double WorkMs, double[] CpuMs, double[] RebuildMs, double[] CompileMs,
    double WatcherCpuMs, double[][] PhaseMs, double ServerMs, double JitMs, double WatcherJitMs, bool JitKnown)
{
    /// <summary>The replicas' JIT compilation time (<c>system_runtime_dotnet_jit_compilation_time</c>, seconds).</summary>
    private const string JitMetric = "system_runtime_dotnet_jit_compilation_time";

    /// <summary>The rebuild phases in <see cref="PhaseMs"/>, in order.</summary>
    public static readonly string[] Phases = ["total", "load", "compile", "serialize", "queue"];

    public static async Task<ActivationRound> RunAsync(MultiLab lab, int round)
    {
        var failMax = 200 + round;
        var version = "1." + round.ToString(CultureInfo.InvariantCulture) + ".0";
        var content = new JsonObject
        {
            ["kind"] = "CircuitBreaker",
            ["name"] = "bench-breaker",
            ["target"] = "mesh",
            ["constitutional_hash"] = AcgsConstants.ConstitutionalHash,
            ["spec"] = new JsonObject { ["fail_max"] = failMax, ["reset_timeout_seconds"] = 30, ["failure_statuses"] = new JsonArray() },
        };
        await MultiLab.Send(lab.Admin.PostAsJsonAsync("/api/v1/policies/bench-breaker/versions", new JsonObject { ["version"] = version, ["content"] = content })).ConfigureAwait(false);
        await Task.Delay(100).ConfigureAwait(false);

        var replicas = lab.Replicas;
        var convergedBefore = new (double Count, double Sum)[replicas.Count];
        var jitBefore = 0.0;
        var jitKnown = true;
        for (var i = 0; i < replicas.Count; i++)
        {
            var before = await MultiLab.ScrapeAsync(replicas[i]).ConfigureAwait(false);
            convergedBefore[i] = Converged(before);
            jitKnown &= before.TryGetValue(JitMetric, out var jit);
            jitBefore += jit;
        }

        var cpuBefore = replicas.Select(r => ProcStat.Cpu(r.Pid)).ToArray();
        var watcherCpuBefore = lab.WatcherPids.Sum(p => ProcStat.Cpu(p).TotalMilliseconds);
        var start = Stopwatch.GetTimestamp();
        await MultiLab.Send(lab.Admin.PutAsync("/api/v1/policies/bench-breaker/activate?version=" + version, null)).ConfigureAwait(false);
        var requestMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        long lastAck = 0, lastLine = 0, work = 0;
        var watcherJit = 0.0;
        foreach (var answer in await lab.AskAsync("wait " + failMax.ToString(CultureInfo.InvariantCulture), "acked", TimeSpan.FromMinutes(5)).ConfigureAwait(false))
        {
            lastAck = Math.Max(lastAck, long.Parse(answer[2], CultureInfo.InvariantCulture));
            lastLine = Math.Max(lastLine, long.Parse(answer[3], CultureInfo.InvariantCulture));
            work = Math.Max(work, long.Parse(answer[4], CultureInfo.InvariantCulture));
            watcherJit += double.Parse(answer[5], CultureInfo.InvariantCulture);
        }

        // The replica records the change once its last awaited ACK was processed, which may be just after the watchers wrote it
        // (an ACK stream's line is written, not answered): the replicas' CPU is read once each has recorded it (one /metrics
        // scrape each, on either ACK path, inside the window).
        var scraped = new Dictionary<string, double>[replicas.Count];
        var serverMs = 0.0;
        for (var i = 0; i < replicas.Count; i++)
        {
            var metrics = await MultiLab.ScrapeAsync(replicas[i]).ConfigureAwait(false);
            var waited = Stopwatch.StartNew();
            while (Converged(metrics).Count <= convergedBefore[i].Count && waited.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(5).ConfigureAwait(false);
                metrics = await MultiLab.ScrapeAsync(replicas[i]).ConfigureAwait(false);
            }

            var converged = Converged(metrics);
            serverMs = Math.Max(serverMs, converged.Count > convergedBefore[i].Count ? (converged.Sum - convergedBefore[i].Sum) / (converged.Count - convergedBefore[i].Count) * 1000 : double.NaN);
            scraped[i] = metrics;
        }

        var cpu = replicas.Select((r, i) => (ProcStat.Cpu(r.Pid) - cpuBefore[i]).TotalMilliseconds).ToArray();
        var watcherCpu = lab.WatcherPids.Sum(p => ProcStat.Cpu(p).TotalMilliseconds) - watcherCpuBefore;
        var phases = new double[replicas.Count][];
        for (var i = 0; i < replicas.Count; i++)
        {
            phases[i] = [.. Phases.Select(p => scraped[i].GetValueOrDefault("acgs_controlplane_last_rebuild_seconds{phase=\"" + p + "\"}", double.NaN) * 1000)];
        }

        return new ActivationRound(
            Stopwatch.GetElapsedTime(start, lastAck).TotalMilliseconds, requestMs, Stopwatch.GetElapsedTime(start, lastLine).TotalMilliseconds,
            work * 1000.0 / Stopwatch.Frequency, cpu, [.. phases.Select(p => p[0])], [.. phases.Select(p => p[2])], watcherCpu, phases, serverMs,
            (scraped.Sum(m => m.GetValueOrDefault(JitMetric)) - jitBefore) * 1000, watcherJit, jitKnown);
    }

    private static (double Count, double Sum) Converged(Dictionary<string, double> metrics) =>
        (metrics.GetValueOrDefault("acgs_controlplane_convergence_seconds_count"), metrics.GetValueOrDefault("acgs_controlplane_convergence_seconds_sum"));
}
