// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text.Json.Nodes;
using Acgs.Core;

namespace Acgs.Perf.Convergence.Multi;

/// <summary>
/// One point of the multi-process mode (<c>--replicas N</c>): N control-plane replicas as separate processes on one
/// redis-server, the watchers in separate processes (one per 5,000 unless <c>--watcher-processes</c>), activations through
/// the first replica, convergence to the last ACK on all replicas. Prints the figures, writes <c>--json</c>; exit 1 when
/// the point has a goal and its p99 misses it (<see cref="ConvergenceGoal"/>), 2 when it cannot run here.
/// <para>
/// Warm-up (<see cref="WarmUp"/>): until the JIT of the replicas and the watcher processes has settled; the warm-up rounds
/// are reported apart (<c>warmup</c>), and so is the JIT time left in the measured rounds.
/// </para>
/// </summary>
internal static class MultiBenchmark
{
    public static async Task<int> RunAsync(BenchArguments args)
    {
        var watchers = args.Int("--watchers", 100);
        var replicas = args.Replicas.Count > 0 ? args.Replicas[0] : 1;
        var services = args.Int("--services", 10);
        var activations = args.Int("--activations", 30);
        var warmup = args.Int("--warmup", 3);
        var warmupMax = args.Int("--warmup-max", WarmUp.DefaultMost);
        var fullWork = args.Text("--full-work") ?? services.ToString(CultureInfo.InvariantCulture);
        var processes = args.Int("--watcher-processes", (watchers + 4999) / 5000);
        var calls = args.Int("--calls", 0);
        if (await StartAsync(args, replicas) is not { } lab)
        {
            return 2;
        }

        using (lab)
        {
            await Task.Delay(1000).ConfigureAwait(false);
            var idle = lab.Replicas.Select(r => ProcStat.Rss(r.Pid)).ToArray();
            await EgressPolicies.ActivateAsync(lab.Admin, services, calls).ConfigureAwait(false);
            await lab.ConnectAsync(watchers, services, fullWork, processes).ConfigureAwait(false);
            await Task.Delay(1000).ConfigureAwait(false); // let the registrations' rebuilds settle
            var connected = lab.Replicas.Select(r => ProcStat.Rss(r.Pid)).ToArray();
            var peak = (long[])connected.Clone();
            var rounds = new List<ActivationRound>();
            var warm = new List<ActivationRound>();
            var settled = 0;
            for (var round = 1; rounds.Count < activations; round++)
            {
                var result = await ActivationRound.RunAsync(lab, round).ConfigureAwait(false);
                for (var i = 0; i < peak.Length; i++)
                {
                    peak[i] = Math.Max(peak[i], ProcStat.Rss(lab.Replicas[i].Pid));
                }

                if (args.Has("--verbose"))
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: request {result.RequestMs:F1} ms, last line {result.LastLineMs:F1} ms, last ACK {result.ConvergenceMs:F1} ms, server {result.ServerMs:F1} ms, rebuild {string.Join(" / ", result.RebuildMs.Select(F))} ms ({string.Join(", ", ActivationRound.Phases.Skip(1).Select((p, k) => p + " " + F(result.PhaseMs.MaxBy(x => x[0])![k + 1])))}), cpu {string.Join(" / ", result.CpuMs.Select(F))} ms, watchers' cpu {F(result.WatcherCpuMs)} ms, JIT {result.JitMs:F1} / {result.WatcherJitMs:F1} ms"));
                }

                if (WarmUp.Done(warm.Count, warmup, warmupMax, settled))
                {
                    if (rounds.Count == 0 && args.Has("--verbose"))
                    {
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"(round {round} is the first measured: warm-up took {warm.Count} rounds, {(settled >= WarmUp.SettledRounds ? "JIT settled" : "the JIT had not settled")})"));
                    }

                    rounds.Add(result);
                    continue;
                }

                warm.Add(result);
                settled = result.JitKnown ? WarmUp.Settled(settled, result.JitMs + result.WatcherJitMs) : 0;
                if (!result.JitKnown && warm.Count == 1)
                {
                    Console.Error.WriteLine("warning: a replica's /metrics has no system_runtime_dotnet_jit_compilation_time (a control plane built before it): its JIT cannot be seen, so the warm-up runs --warmup-max rounds");
                }
            }

            var perReplica = new JsonArray();
            for (var i = 0; i < lab.Replicas.Count; i++)
            {
                var metrics = await MultiLab.ScrapeAsync(lab.Replicas[i]).ConfigureAwait(false);
                perReplica.Add(new JsonObject
                {
                    ["id"] = lab.Replicas[i].Id,
                    ["connected_sidecars"] = metrics.GetValueOrDefault("acgs_controlplane_connected_sidecars"),
                    ["rss_idle_bytes"] = idle[i], ["rss_connected_bytes"] = connected[i], ["rss_peak_bytes"] = peak[i],
                    ["cpu_p50_ms"] = Stats.Percentile(rounds.Select(r => r.CpuMs[i]), 50),
                    ["rebuild_p50_ms"] = Stats.Percentile(rounds.Select(r => r.RebuildMs[i]), 50),
                    ["rebuild_p99_ms"] = Stats.Percentile(rounds.Select(r => r.RebuildMs[i]), 99),
                });
            }

            var summary = Summarize(rounds, watchers, services, calls, replicas, activations, fullWork, processes, lab, idle, connected, perReplica);
            summary["warmup"] = new JsonObject
            {
                ["rounds"] = warm.Count, ["least"] = warmup, ["most"] = warmupMax, ["jit_settled"] = settled >= WarmUp.SettledRounds,
                ["p50_ms"] = warm.Count > 0 ? Stats.Percentile(warm.Select(r => r.ConvergenceMs), 50) : null,
                ["max_ms"] = warm.Count > 0 ? warm.Max(r => r.ConvergenceMs) : null,
                ["jit_ms"] = warm.Sum(r => r.JitMs), ["watcher_jit_ms"] = warm.Sum(r => r.WatcherJitMs),
            };
            Print(JsonNode.Parse(summary.ToJsonString())!.AsObject(), rounds); // re-read: numbers of any type as double
            summary["binaries"] = ControlPlaneBuild.Binaries(args, AppContext.BaseDirectory);
            if (args.Text("--json") is { } json)
            {
                await File.WriteAllTextAsync(json, summary.ToJsonString()).ConfigureAwait(false);
            }

            lab.Completed = true;
            return ConvergenceGoal.ExitCode((double)summary["p99_ms"]!, watchers, replicas);
        }
    }

    /// <summary>Starts the lab, or prints why it cannot run here (one line) and returns null.</summary>
    public static async Task<MultiLab?> StartAsync(BenchArguments args, int replicas)
    {
        var controlPlane = MultiLab.ControlPlaneDll(args);
        var redis = RedisProcess.Find(args.Text("--redis-server"));
        if (controlPlane is null || redis is null)
        {
            Console.Error.WriteLine(controlPlane is null
                ? "the control plane's build was not found (build controlplane/Acgs.ControlPlane -c Release, or name the dll with --control-plane)"
                : "redis-server was not found (apt-get install redis-server, or name it with --redis-server)");
            return null;
        }

        return await MultiLab.StartAsync(controlPlane, redis, replicas, CpuPinning.From(args)).ConfigureAwait(false);
    }

    private static JsonObject Summarize(List<ActivationRound> rounds, int watchers, int services, int calls, int replicas, int activations, string fullWork, int processes,
        MultiLab lab, long[] idle, long[] connected, JsonArray perReplica)
    {
        var samples = rounds.Select(r => r.ConvergenceMs).ToList();
        return new JsonObject
        {
            ["constitutional_hash"] = AcgsConstants.ConstitutionalHash,
            ["mode"] = "multi-process", ["watchers"] = watchers, ["services"] = services, ["calls"] = calls, ["replicas"] = replicas, ["activations"] = activations,
            ["full_work"] = fullWork, ["watcher_processes"] = processes,
            ["p50_ms"] = Stats.Percentile(samples, 50), ["p90_ms"] = Stats.Percentile(samples, 90), ["p99_ms"] = Stats.Percentile(samples, 99), ["max_ms"] = samples.Max(),
            ["server_p50_ms"] = Stats.Percentile(rounds.Select(r => r.ServerMs), 50), ["server_p99_ms"] = Stats.Percentile(rounds.Select(r => r.ServerMs), 99),
            ["request_p50_ms"] = Stats.Percentile(rounds.Select(r => r.RequestMs), 50),
            ["last_line_p50_ms"] = Stats.Percentile(rounds.Select(r => r.LastLineMs), 50),
            ["rebuild_p50_ms"] = Stats.Percentile(rounds.Select(r => r.RebuildMs.Max()), 50), ["rebuild_p99_ms"] = Stats.Percentile(rounds.Select(r => r.RebuildMs.Max()), 99),
            ["compile_p50_ms"] = Stats.Percentile(rounds.Select(r => r.CompileMs.Max()), 50),
            ["rebuild_phases_p50_ms"] = new JsonObject(ActivationRound.Phases.Select((p, k) => KeyValuePair.Create(p, (JsonNode?)Stats.Percentile(rounds.Select(r => r.PhaseMs.MaxBy(x => x[0])![k]), 50)))),
            ["watcher_cpu_p50_ms"] = Stats.Percentile(rounds.Select(r => r.WatcherCpuMs), 50),
            ["jit_ms"] = rounds.Sum(r => r.JitMs), ["jit_max_ms"] = rounds.Max(r => r.JitMs),
            ["watcher_jit_ms"] = rounds.Sum(r => r.WatcherJitMs), ["watcher_jit_max_ms"] = rounds.Max(r => r.WatcherJitMs),
            ["cpu_p50_ms"] = Stats.Percentile(rounds.Select(r => r.CpuMs.Sum()), 50), ["cpu_p99_ms"] = Stats.Percentile(rounds.Select(r => r.CpuMs.Sum()), 99),
            ["rss_idle_bytes"] = idle.Sum(), ["rss_connected_bytes"] = connected.Sum(),
            ["memory_per_sidecar_bytes"] = (double)(connected.Sum() - idle.Sum()) / watchers,
            ["connections"] = lab.Connections(), ["snapshot_line_bytes"] = lab.LineBytes,
            ["per_replica"] = perReplica,
            ["load_average"] = Stats.LoadAverage(), ["cores"] = Environment.ProcessorCount,
            ["goal_p99_ms"] = ConvergenceGoal.For(watchers, replicas), ["goal_met"] = ConvergenceGoal.Met(Stats.Percentile(samples, 99), watchers, replicas),
            ["replica_cpus"] = lab.Pinning.Replicas is { } onReplicas ? CpuList.Format(onReplicas) : null, ["watcher_cpus"] = lab.Pinning.Watchers is { } onWatchers ? CpuList.Format(onWatchers) : null,
            ["cpu_floor_ms"] = CpuPinning.FloorMs(Stats.Percentile(rounds.Select(r => r.CpuMs.Sum()), 50), Stats.Percentile(rounds.Select(r => r.WatcherCpuMs), 50), lab.Pinning, CpuList.Allowed()),
        };
    }

    private static void Print(JsonObject s, List<ActivationRound> rounds)
    {
        Console.WriteLine($"ACGS control-plane convergence — {s["watchers"]} watchers ({s["services"]} services, {Calls(s)}) in {s["watcher_processes"]} watcher process(es), {s["replicas"]} replica process(es) on one redis-server, {s["activations"]} activations through replica r0, loopback HTTP/1.1 NDJSON");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"activation -> last ACK on every replica: median {F(s["p50_ms"])} ms, p90 {F(s["p90_ms"])} ms, p99 {F(s["p99_ms"])} ms, max {F(s["max_ms"])} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"the replicas' own measure (commit -> last ACK processed, acgs_controlplane_convergence_seconds): median {F(s["server_p50_ms"])} ms, p99 {F(s["server_p99_ms"])} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"of which the activation request: median {F(s["request_p50_ms"])} ms; last snapshot line read: median {F(s["last_line_p50_ms"])} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rebuild (slowest replica, /metrics): median {F(s["rebuild_p50_ms"])} ms, p99 {F(s["rebuild_p99_ms"])} ms; compile median {F(s["compile_p50_ms"])} ms; snapshot line {s["snapshot_line_bytes"]} bytes"));
        Console.WriteLine("rebuild phases (slowest replica), median: " + string.Join(", ", s["rebuild_phases_p50_ms"]!.AsObject().Select(p => p.Key + " " + F(p.Value) + " ms")));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"control-plane CPU per activation (all replicas, /proc): median {F(s["cpu_p50_ms"])} ms, p99 {F(s["cpu_p99_ms"])} ms ({rounds.Count} rounds, {s["cores"]} cores, load average {s["load_average"]})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"the watcher processes' CPU per activation (the benchmark's side: reading lines, scanning or parsing, ACKing): median {F(s["watcher_cpu_p50_ms"])} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CPUs: replicas and redis-server on {s["replica_cpus"]?.ToString() ?? "any"}, watcher processes on {s["watcher_cpus"]?.ToString() ?? "any"}; the least wall time those two medians of CPU need on them: {F(s["cpu_floor_ms"])} ms"));
        var w = s["warmup"]!.AsObject();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warm-up (not measured): {w["rounds"]} rounds (at least {w["least"]}, at most {w["most"]}; {((bool)w["jit_settled"]! ? $"ended once {WarmUp.SettledRounds} rounds in a row JIT-compiled under {WarmUp.SettledJitMs} ms" : "the JIT had not settled")}){((int)(double)w["rounds"]! > 0 ? $", activation -> last ACK median {F(w["p50_ms"])} ms, max {F(w["max_ms"])} ms; JIT replicas {F(w["jit_ms"])} ms, watcher processes {F(w["watcher_jit_ms"])} ms" : "")}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"JIT compilation in the measured rounds: replicas {F(s["jit_ms"])} ms in all (at most {F(s["jit_max_ms"])} in a round), watcher processes {F(s["watcher_jit_ms"])} ms (at most {F(s["watcher_jit_max_ms"])})"));
        foreach (var r in s["per_replica"]!.AsArray())
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {r!["id"]}: {r["connected_sidecars"]} sidecars, RSS {Mb(r["rss_idle_bytes"])} MB idle -> {Mb(r["rss_connected_bytes"])} MB connected (peak {Mb(r["rss_peak_bytes"])} MB), CPU/activation median {F(r["cpu_p50_ms"])} ms, rebuild median {F(r["rebuild_p50_ms"])} ms"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"real loopback connections to the replicas: {s["connections"]}; control-plane memory per connected sidecar (RSS): {(double)s["memory_per_sidecar_bytes"]! / 1024:F1} KB"));
        Console.WriteLine(ConvergenceGoal.Line((double)s["p99_ms"]!, (int)(double)s["watchers"]!, (int)(double)s["replicas"]!));
    }

    /// <summary>What each snapshot holds: every cluster, or the K a service's Egress policy names.</summary>
    internal static string Calls(JsonObject s) => (int)s["calls"]! == 0 ? "every snapshot holds every cluster" : $"each calls {s["calls"]} others (Egress)";

    private static string F(JsonNode? value) => ((double)value!).ToString("F1", CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString("F1", CultureInfo.InvariantCulture);

    private static string Mb(JsonNode? value) => ((double)value! / 1048576).ToString("F0", CultureInfo.InvariantCulture);
}
