// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.LoadTest.Running;
using Acgs.LoadTest.Stats;
using Acgs.Perf.Lab;
using Acgs.Perf.Modes;

namespace Acgs.Perf.Tests.Modes;

/// <summary>Builds gate measurements without a lab: rounds with chosen latencies, lag and rates.</summary>
internal static class GateRuns
{
    public const string BuiltInRuntime = """{"native_aot":true,"gc":"workstation","gc_concurrent":false,"inline_socket_completions":true,"inline_socket_completions_source":"built-in","thread_pool_spin_limit":0,"thread_pool_spin_limit_source":"built-in","tiered_compilation":false,"processor_count":2}""";

    /// <summary>One round: every request at <paramref name="latencyMs"/> except 2 % at <paramref name="tailMs"/>.</summary>
    public static RunResult Round(double latencyMs, double tailMs, double lagMs = 0.05, double achieved = 1.0, long fail = 0, params string[] invalid)
    {
        var latency = Histograms.CreateHistogram();
        latency.RecordValueWithCount((long)(latencyMs * 1e6), 9800);
        latency.RecordValueWithCount((long)(tailMs * 1e6), 200);
        var lag = Histograms.CreateHistogram();
        lag.RecordValueWithCount((long)(lagMs * 1e6), 10000);
        var stats = new ScenarioStats
        {
            Name = "t",
            OpenModel = true,
            Duration = TimeSpan.FromSeconds(10),
            TargetRate = 6000,
            Intended = 60000,
            Dispatched = 60000,
            Ok = 10000 - fail,
            Fail = fail,
            TransportErrors = 0,
            Bytes = 0,
            PoolWaits = 0,
            SendRate = 6000,
            AchievedRate = 6000 * achieved,
            StatusCodes = new Dictionary<int, long> { [200] = 10000 - fail },
            Latency = latency,
            ServiceTime = latency,
            SchedulerLag = lag,
            Steps = [],
            GeneratorCpuUsPerRequest = 50,
        };
        return new RunResult { Stats = stats, InvalidReasons = invalid };
    }

    public static GateInputs Inputs(
        Func<int, RunResult> direct,
        Func<int, RunResult> sidecar,
        Func<int, RunResult> nginx,
        double ownP99Us = 90,
        double sidecarCpuUs = 80,
        double nginxCpuUs = 50,
        string runtime = BuiltInRuntime,
        double sidecarWaitToRun = 0.01,
        double sidecarSteal = 0,
        double nginxWaitToRun = 0.01)
    {
        var results = new Dictionary<TargetKind, List<RunResult>>
        {
            [TargetKind.Direct] = [direct(0), direct(1), direct(2)],
            [TargetKind.Sidecar] = [sidecar(0), sidecar(1), sidecar(2)],
            [TargetKind.Nginx] = [nginx(0), nginx(1), nginx(2)],
        };
        var cpu = new CpuTally();
        cpu.Add(TargetKind.Sidecar, sidecarCpuUs * 30000 / 1e6, 30000);
        cpu.Add(TargetKind.Nginx, nginxCpuUs * 30000 / 1e6, 30000);
        cpu.AddScheduling(TargetKind.Sidecar, 3.0, 3.0 * sidecarWaitToRun);
        cpu.AddSteal(TargetKind.Sidecar, 24.0 * sidecarSteal, 24.0);
        cpu.AddScheduling(TargetKind.Nginx, 1.5, 1.5 * nginxWaitToRun);
        using var doc = JsonDocument.Parse(runtime);
        return new GateInputs(results, cpu, [30000, 40, 60, ownP99Us, ownP99Us * 2, ownP99Us * 3], doc.RootElement.Clone(), "native-aot");
    }
}
