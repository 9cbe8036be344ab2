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
/// watcher process saw, on every replica. Per replica: CPU over that span and its last rebuild (from <c>/metrics</c>).
/// </summary>
internal readonly record struct ActivationRound(double ConvergenceMs, double RequestMs, double LastLineMs, double WorkMs, double[] CpuMs, double[] RebuildMs, double[] CompileMs)
{
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
        var cpuBefore = replicas.Select(r => ProcStat.Cpu(r.Pid)).ToArray();
        var start = Stopwatch.GetTimestamp();
        await MultiLab.Send(lab.Admin.PutAsync("/api/v1/policies/bench-breaker/activate?version=" + version, null)).ConfigureAwait(false);
        var requestMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        long lastAck = 0, lastLine = 0, work = 0;
        foreach (var answer in await lab.AskAsync("wait " + failMax.ToString(CultureInfo.InvariantCulture), "acked", TimeSpan.FromMinutes(5)).ConfigureAwait(false))
        {
            lastAck = Math.Max(lastAck, long.Parse(answer[2], CultureInfo.InvariantCulture));
            lastLine = Math.Max(lastLine, long.Parse(answer[3], CultureInfo.InvariantCulture));
            work = Math.Max(work, long.Parse(answer[4], CultureInfo.InvariantCulture));
        }

        var cpu = replicas.Select((r, i) => (ProcStat.Cpu(r.Pid) - cpuBefore[i]).TotalMilliseconds).ToArray();
        var rebuild = new double[replicas.Count];
        var compile = new double[replicas.Count];
        for (var i = 0; i < replicas.Count; i++)
        {
            var metrics = await MultiLab.ScrapeAsync(replicas[i]).ConfigureAwait(false);
            rebuild[i] = metrics.GetValueOrDefault("acgs_controlplane_last_rebuild_seconds{phase=\"total\"}", double.NaN) * 1000;
            compile[i] = metrics.GetValueOrDefault("acgs_controlplane_last_rebuild_seconds{phase=\"compile\"}", double.NaN) * 1000;
        }

        return new ActivationRound(
            Stopwatch.GetElapsedTime(start, lastAck).TotalMilliseconds, requestMs, Stopwatch.GetElapsedTime(start, lastLine).TotalMilliseconds,
            work * 1000.0 / Stopwatch.Frequency, cpu, rebuild, compile);
    }
}
