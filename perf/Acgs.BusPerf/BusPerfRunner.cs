// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.LoadTest.Running;
using HdrHistogram;

namespace Acgs.BusPerf;

/// <summary>
/// Runs the bus gates against a bus host in a child process and prints the results: throughput
/// (gate ≥ 100,000 msg/s, goal ≥ 200,000) and allocated bytes per message in the host, and latency at
/// 50,000 msg/s in rounds, each a direct-loopback calibration then the bus: the sidecar's own
/// per-message P99 &lt; 1 ms (median round, always enforced; its detail reports the bus host's run-queue wait and the
/// machine's stolen CPU over the latency rounds) and the end-to-end P99 &lt; 1 ms (median
/// round), enforced only when every calibration round's P99 is at most 0.5 ms and its P99.9 at most 1 ms, else
/// INCONCLUSIVE unless met. The P99.9 condition: a message through the bus crosses three sockets and two processes
/// where the calibration crosses one socket, so stalls of the machine that reach the calibration's P99.9 reach the
/// bus's P99; such a run measures the machine, not the bus.
/// Exit code 1 when a line fails; <c>--json PATH</c> writes the verdict.
/// </summary>
internal static class BusPerfRunner
{
    private const int Payload = 128;
    private const double ThroughputGate = 100_000;
    private const double ThroughputGoal = 200_000;
    private const double P99GateMicroseconds = 1000;

    public static async Task<int> RunAsync(string[] args)
    {
        // --ci: the quick bus gate of .ci/run (fewer messages, 5 interleaved latency rounds of 2 s). A round lasts
        // 2 s at 50,000 msg/s, so a single host stall of the length this machine's kernel threads cause can carry
        // one round's p99 past the line; the median of five needs three such rounds to fail.
        var ci = args.Contains("--ci");
        var messages = Option(args, "--messages", ci ? 500_000 : 1_000_000);
        var rate = Option(args, "--rate", 50_000);
        var seconds = Option(args, "--seconds", ci ? 2 : 5);
        var rounds = Option(args, "--rounds", ci ? 5 : 1);
        var window = Option(args, "--window", 2048);
        var tick = Option(args, "--tick-us", 100);
        // Pinning is opt-in: measured here, it raised the end-to-end p90/p99 (the producer, the consumer and
        // their acks then share one CPU), for the calibration and the bus alike.
        var pin = args.Contains("--pin");
        // Opt-in ack coalescing on the latency run's consumer (BusClientOptions.AckDelay); 0 = an ack write per read batch.
        var ackDelay = Option(args, "--ack-delay-us", 0);
        Console.WriteLine($"command: dotnet run -c Release --project perf/Acgs.BusPerf -- --messages {messages} --rate {rate} --seconds {seconds} --window {window} --tick-us {tick}{(pin ? " --pin" : string.Empty)}{(rounds > 1 ? F($" --rounds {rounds}") : string.Empty)}{(args.Contains("--shared-transport") ? " --shared-transport" : string.Empty)}{(ackDelay > 0 ? F($" --ack-delay-us {ackDelay}") : string.Empty)}{string.Concat(Options(args, "--host-env").Select(static e => " --host-env " + e))}");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, payload {Payload} B");
        var pinning = CpuPinning.Apply(pin);
        Console.WriteLine(pinning.Note);
        var allocationTypes = args.Contains("--alloc-types");
        var hostEnvironment = Options(args, "--host-env");
        await using var host = await HostProcess.StartAsync(allocationTypes, pinning.Taskset, args.Contains("--shared-transport"), hostEnvironment);

        await BusRuns.ThroughputAsync(host, Payload, messages / 5, window, 1L << 40);
        var (perSecond, errors) = await BusRuns.ThroughputAsync(host, Payload, messages, window, 2L << 40, warmup: messages / 10);
        var hostStats = await host.CommandAsync("stats");
        if (allocationTypes)
        {
            Console.WriteLine("sampled allocation types in the bus host (GC AllocationTick, bytes): " + hostStats[(hostStats.IndexOf("types=", StringComparison.Ordinal) + 6)..]);
        }

        var allocPerMessage = HostProcess.Field(hostStats, "alloc") / messages;
        Console.WriteLine(F($"throughput: {perSecond:N0} msg/s over {messages:N0} messages (window {window}, errors {errors}) — gate ≥ {ThroughputGate:N0}, goal ≥ {ThroughputGoal:N0}"));
        Console.WriteLine(F($"allocated in the bus host: {allocPerMessage:F2} B/message ({HostProcess.Field(hostStats, "alloc"):N0} B over {messages:N0} messages)"));

        var count = (long)rate * seconds;
        var timelines = args.Contains("--timeline");
        using var jit = args.Contains("--jit-events") ? new JitSampler() : null;
        var directP99s = new List<double>();
        var directP999s = new List<double>();
        var busP99s = new List<double>();
        var ownP99s = new List<double>();
        long lost = 0;
        var contention0 = CpuContention.Sample(host.Pid);
        for (var round = 1; round <= rounds; round++)
        {
            var r = await LatencyRoundAsync(host, rate, seconds, count, tick, ackDelay, (3L << 40) + (round * (1L << 32)), jit, timelines);
            directP99s.Add(Micro(r.Direct, 99));
            directP999s.Add(Micro(r.Direct, 99.9));
            busP99s.Add(Micro(r.Bus, 99));
            ownP99s.Add(r.OwnP99);
            lost += r.Errors + (count - r.Bus.TotalCount);
            if (rounds > 1)
            {
                Console.WriteLine(F($"  round {round}: calibration p99 {directP99s[^1]:F0} µs, through the bus p99 {busP99s[^1]:F0} µs, sidecar's own p99 {ownP99s[^1]:F0} µs"));
            }
        }

        var contention = CpuContention.Sample(host.Pid) - contention0;
        var verdicts = new List<(string Name, string Status, string Detail)>();
        void Line(string name, string status, string detail)
        {
            verdicts.Add((name, status, detail));
            Console.WriteLine($"{status.ToUpperInvariant()} {name}{(detail.Length > 0 ? " (" + detail + ")" : string.Empty)}");
        }

        var ownP99 = Median(ownP99s);
        var busP99 = Median(busP99s);
        var worstCalibration = directP99s.Max();
        Line("throughput >= 100,000 msg/s", perSecond >= ThroughputGate ? "pass" : "fail", F($"{perSecond:N0} msg/s; ") + (perSecond >= ThroughputGoal ? "goal met" : "goal 200,000 not met"));
        // What the bus host's CPU went through in the latency rounds, reported beside its own latency. Not a verdict
        // rule: its threads wait on the run queue several times as long as they run even on a quiet host (the producer,
        // the consumer and the host share two CPUs by design), so a bound needs a series of runs to be set.
        var hostCpu = F($"bus host run-queue wait/run {contention.WaitToRun:0.00}, machine CPU stolen {contention.StealShare:P1}");
        Line("sidecar's own p99 < 1 ms (median round)", ownP99 < P99GateMicroseconds ? "pass" : "fail",
            F($"{ownP99:F0} µs; rounds {string.Join(" ", ownP99s.ConvertAll(v => v.ToString("F0", CultureInfo.InvariantCulture)))}; ") + hostCpu);
        Line("no message lost or refused in the latency runs", lost == 0 ? "pass" : "fail", F($"{lost} lost or refused of {count * rounds:N0}"));
        var worstCalibrationTail = directP999s.Max();
        var calibration = F($"calibration worst round p99 {worstCalibration:F0} µs (quiet <= {P99GateMicroseconds / 2:F0}), p99.9 {worstCalibrationTail:F0} µs (quiet <= {P99GateMicroseconds:F0}); through the bus median p99 {busP99:F0} µs, rounds {string.Join(" ", busP99s.ConvertAll(v => v.ToString("F0", CultureInfo.InvariantCulture)))}");
        var quiet = worstCalibration <= P99GateMicroseconds / 2 && worstCalibrationTail <= P99GateMicroseconds;
        Line("end-to-end p99 < 1 ms (median round)", busP99 < P99GateMicroseconds ? "pass" : quiet ? "fail" : "inconclusive", calibration);
        Console.WriteLine(F($"REPORT allocated bytes/message in the bus host: {allocPerMessage:F2}"));
        var failed = verdicts.Exists(v => v.Status == "fail");
        var inconclusive = verdicts.FindAll(v => v.Status == "inconclusive").ConvertAll(v => v.Name);
        Console.WriteLine($"bus gate: {(failed ? "FAIL" : inconclusive.Count > 0 ? "PASS on every line that could be judged; INCONCLUSIVE (not a pass): " + string.Join(", ", inconclusive) : "PASS")}");
        if (Value(args, "--json") is { } json)
        {
            await BusVerdict.WriteAsync(json, verdicts, perSecond, allocPerMessage, ownP99, busP99, worstCalibration, failed ? 1 : 0);
        }

        return failed ? 1 : 0;
    }

    private static async Task<(LongHistogram Direct, LongHistogram Bus, double OwnP99, long Errors)> LatencyRoundAsync(
        HostProcess host, int rate, int seconds, long count, int tick, int ackDelay, long firstSequence, JitSampler? jit, bool timelines)
    {
        var directTimeline = timelines ? new SlowTimeline(seconds * 1000) : null;
        var busTimeline = timelines ? new SlowTimeline(seconds * 1000) : null;
        var cpu = TimeSpan.Zero;
        var gc = (Count: 0, Pause: TimeSpan.Zero);
        Task Baselines()
        {
            jit?.Clear();
            cpu = Environment.CpuUsage.TotalTime;
            gc = (GC.CollectionCount(0), GC.GetTotalPauseDuration());
            return Task.CompletedTask;
        }

        // Warm-up: one second at the rate on the same connections, then the measured run (both phases alike).
        var direct = await BusRuns.LatencyDirectAsync(Payload, rate, rate, count, tick, Baselines, directTimeline);
        var directCpu = (Environment.CpuUsage.TotalTime - cpu).TotalMicroseconds / count;
        var directJit = jit?.Report();
        var directGc = (Count: GC.CollectionCount(0) - gc.Count, Pause: GC.GetTotalPauseDuration() - gc.Pause);
        var (bus, latencyErrors) = await BusRuns.LatencyThroughBusAsync(host, Payload, rate, rate, count, firstSequence, tick, ackDelay, async () =>
        {
            await host.CommandAsync("reset");
            await Baselines();
        }, busTimeline);
        var clientCpu = (Environment.CpuUsage.TotalTime - cpu).TotalMicroseconds / count;
        var busGc = (Count: GC.CollectionCount(0) - gc.Count, Pause: GC.GetTotalPauseDuration() - gc.Pause);
        var own = await host.CommandAsync("stats");
        var hostCpu = HostProcess.Field(own, "cpuus") / count;
        Console.WriteLine(F($"latency at {rate:N0} msg/s for {seconds} s paced every {tick} µs (nanosleep, 1 ns timer slack; intended send → delivered to the consumer, coordinated-omission-correct; {latencyErrors} errors):"));
        Console.WriteLine($"  calibration, direct loopback: {Describe(direct)}");
        Console.WriteLine($"  through the sidecar bus:      {Describe(bus)}{(ackDelay > 0 ? F($" (consumer ack delay {ackDelay} µs)") : string.Empty)}");
        Console.WriteLine(F($"  CPU per message: calibration {directCpu:F1} µs (producer + consumer); through the bus {clientCpu:F1} µs (producer + consumer) + {hostCpu:F1} µs (bus host) — {(clientCpu + hostCpu) * rate / 1e6:F2} of {Environment.ProcessorCount} CPUs at {rate:N0} msg/s"));
        if (jit is not null)
        {
            Console.WriteLine($"  JIT in this process, calibration: {directJit}");
            Console.WriteLine($"  JIT in this process, through the bus: {jit.Report()}");
        }

        if (timelines)
        {
            Console.WriteLine($"  timeline, calibration: {directTimeline!.Describe()}");
            Console.WriteLine($"  timeline, through the bus: {busTimeline!.Describe()}");
        }

        Console.WriteLine(F($"  GCs in this process (producer + consumer): calibration {directGc.Count} ({directGc.Pause.TotalMilliseconds:F1} ms paused); through the bus {busGc.Count} ({busGc.Pause.TotalMilliseconds:F1} ms paused); bus host {HostProcess.Field(own, "gcs")} ({HostProcess.Field(own, "gcpausems"):F1} ms paused)"));
        Console.WriteLine(F($"  sidecar's own (read → written to the consumer's connection): p50 {HostProcess.Field(own, "p50")} µs, p99 {HostProcess.Field(own, "p99")} µs, p99.9 {HostProcess.Field(own, "p999")} µs, max {HostProcess.Field(own, "max")} µs ({HostProcess.Field(own, "count"):N0} messages)"));
        return (direct, bus, HostProcess.Field(own, "p99"), latencyErrors);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string? Value(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static double Micro(HistogramBase histogram, double percentile) => histogram.GetValueAtPercentile(percentile) / 1000.0;

    private static string Describe(HistogramBase h) =>
        F($"p50 {Micro(h, 50):F0} µs, p90 {Micro(h, 90):F0} µs, p99 {Micro(h, 99):F0} µs, p99.9 {Micro(h, 99.9):F0} µs, max {Micro(h, 100):F0} µs ({h.TotalCount:N0} messages)");

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static List<string> Options(string[] args, string name)
    {
        var values = new List<string>();
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == name && args[i + 1].Contains('=', StringComparison.Ordinal))
            {
                values.Add(args[i + 1]);
            }
        }

        return values;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
