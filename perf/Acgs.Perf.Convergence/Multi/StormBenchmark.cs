// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Acgs.Core;

namespace Acgs.Perf.Convergence.Multi;

/// <summary>
/// Bounded under churn (<c>--storm N</c>): N watchers on one replica process at steady state (activations measured while
/// its RSS and CPU are sampled every 50 ms), then two storms: every watch stream dropped at once and reconnecting without
/// delay, and the replica killed (SIGKILL) and started again on the same port while the watchers reconnect with the
/// sidecar's backoff (full jitter from 500 ms). Per phase: peak RSS, CPU, and the time until every watcher ACKed a
/// snapshot on its new stream. Exit 0; 2 when it cannot run here.
/// </summary>
internal static class StormBenchmark
{
    public static async Task<int> RunAsync(BenchArguments args)
    {
        var watchers = args.Int("--storm", 1000);
        var services = args.Int("--services", Math.Max(10, watchers / args.Int("--per-service", 20)));
        var activations = args.Int("--activations", 10);
        if (await MultiBenchmark.StartAsync(args, 1).ConfigureAwait(false) is not { } lab)
        {
            return 2;
        }

        using (lab)
        {
            var replica = lab.Replicas[0];
            await Task.Delay(1000).ConfigureAwait(false);
            var idle = ProcStat.Rss(replica.Pid);
            await lab.ConnectAsync(watchers, services, services.ToString(CultureInfo.InvariantCulture), 1).ConfigureAwait(false);
            await Task.Delay(1000).ConfigureAwait(false);
            var connected = ProcStat.Rss(replica.Pid);

            var convergence = new List<double>();
            var steady = await MeasureAsync(replica, async () =>
            {
                for (var round = 1; round <= activations + 2; round++)
                {
                    var result = await ActivationRound.RunAsync(lab, round).ConfigureAwait(false);
                    if (round > 2)
                    {
                        convergence.Add(result.ConvergenceMs);
                    }
                }
            }).ConfigureAwait(false);

            await lab.AskAsync("mark", "marked", TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            var drop = await MeasureAsync(replica, async () =>
            {
                var started = Stopwatch.GetTimestamp();
                await lab.AskAsync("drop", "dropped", TimeSpan.FromSeconds(30)).ConfigureAwait(false);
                return await RejoinedAsync(lab, started).ConfigureAwait(false);
            }).ConfigureAwait(false);

            await lab.AskAsync("mark", "marked", TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            double readyMs = 0;
            var restart = await MeasureAsync(replica, async () =>
            {
                var started = Stopwatch.GetTimestamp();
                replica.Kill();
                await replica.StartAsync().ConfigureAwait(false);
                readyMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                return await RejoinedAsync(lab, started).ConfigureAwait(false);
            }).ConfigureAwait(false);

            var report = new JsonObject
            {
                ["constitutional_hash"] = AcgsConstants.ConstitutionalHash,
                ["watchers"] = watchers, ["services"] = services, ["replicas"] = 1,
                ["rss_idle_bytes"] = idle, ["rss_connected_bytes"] = connected,
                ["steady"] = steady.ToJson(activations + " activations, convergence p99 " + Stats.Percentile(convergence, 99).ToString("F1", CultureInfo.InvariantCulture) + " ms"),
                ["drop"] = drop.ToJson("every stream dropped at once, reconnecting without delay"),
                ["restart"] = restart.ToJson(string.Create(CultureInfo.InvariantCulture, $"replica killed (SIGKILL) and started again, ready after {readyMs / 1000:F1} s; sidecar backoff")),
                ["load_average"] = Stats.LoadAverage(), ["cores"] = Environment.ProcessorCount,
            };
            report["restart"]!["after_ready_seconds"] = restart.Seconds - (readyMs / 1000); // the rest is the sidecars' backoff while it was down
            report = JsonNode.Parse(report.ToJsonString())!.AsObject(); // re-read: numbers of any type as double
            Console.WriteLine($"ACGS control-plane storm — {watchers} watchers ({services} services) on one replica process (redis-server store)");
            foreach (var phase in (string[])["steady", "drop", "restart"])
            {
                var p = report[phase]!;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{phase}: {p["what"]}: {(double)p["seconds"]!:F1} s, peak RSS {(double)p["rss_peak_bytes"]! / 1048576:F0} MB, CPU {(double)p["cpu_ms"]!:F0} ms ({(double)p["cpu_cores"]!:F2} cores average, {(double)p["cpu_peak_cores"]!:F2} peak over 500 ms)"));
            }

            report["binaries"] = ControlPlaneBuild.Binaries(args, AppContext.BaseDirectory);
            if (args.Text("--json") is { } json)
            {
                await File.WriteAllTextAsync(json, report.ToJsonString()).ConfigureAwait(false);
            }

            lab.Completed = true;
            return 0;
        }
    }

    /// <summary>Waits until every watcher ACKed on a stream opened after the mark; seconds from <paramref name="started"/> to the last such ACK.</summary>
    private static async Task<double> RejoinedAsync(MultiLab lab, long started)
    {
        var last = (await lab.AskAsync("rejoined", "rejoined", TimeSpan.FromMinutes(10)).ConfigureAwait(false)).Max(a => long.Parse(a[1], CultureInfo.InvariantCulture));
        return Stopwatch.GetElapsedTime(started, last).TotalSeconds;
    }

    private static Task<StormPhase> MeasureAsync(Replica replica, Func<Task> work) => MeasureAsync(replica, async () =>
    {
        var started = Stopwatch.GetTimestamp();
        await work().ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    });

    /// <summary>Runs <paramref name="work"/> (which returns the phase's length in seconds) while sampling the replica every 50 ms.</summary>
    private static async Task<StormPhase> MeasureAsync(Replica replica, Func<Task<double>> work)
    {
        using var stop = new CancellationTokenSource();
        var sampler = StormPhase.SampleAsync(() => replica.Pid, stop.Token);
        var seconds = await work().ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        var phase = await sampler.ConfigureAwait(false);
        return phase with { Seconds = seconds };
    }
}
