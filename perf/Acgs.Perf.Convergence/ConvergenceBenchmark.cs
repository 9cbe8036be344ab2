// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Acgs.ControlPlane.Distribution;
using Acgs.ControlPlane.Hosting;
using Acgs.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Acgs.Perf.Convergence;

/// <summary>
/// Starts a control plane in-process (embedded store, loopback, free port), connects N simulated
/// sidecar watchers over real HTTP/1.1 loopback connections, then repeats: activate a new version of
/// a mesh-wide CircuitBreaker policy and measure from just before the activation request is sent to
/// the moment the last watcher's ACK of the resulting snapshot completed. Prints median, p90, p99, max.
/// Exit code 1 when p99 exceeds the goal (100 ms).
/// </summary>
internal static partial class ConvergenceBenchmark
{
    private const string Token = "convergence-benchmark-token";

    public static async Task<int> RunAsync(string[] args)
    {
        var watchers = Option(args, "--watchers", 100);
        var activations = Option(args, "--activations", 30);
        var services = Math.Max(1, Option(args, "--services", 10));
        var warmup = Option(args, "--warmup", 3, least: 0);
        var warmupMax = Option(args, "--warmup-max", WarmUp.DefaultMost, least: 0);
        var calls = Option(args, "--calls", 0);
        var verbose = Array.IndexOf(args, "--verbose") >= 0;
        var json = Array.IndexOf(args, "--json") is var j && j >= 0 && j + 1 < args.Length ? args[j + 1] : null;
        var ackConnections = Math.Min(watchers, Option(args, "--ack-connections", 1000));
        var fullWork = Array.IndexOf(args, "--full-work") is var at && at >= 0 && at + 1 < args.Length && args[at + 1] == "all"
            ? watchers : Math.Min(watchers, Option(args, "--full-work", services));
        var directory = Path.Combine(Path.GetTempPath(), "acgs-convergence-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>
        {
            ["ACGS_CONTROL_PLANE_PORT"] = "0",
            ["ACGS_CONTROL_PLANE_BIND"] = "127.0.0.1",
            ["ACGS_DATA_DIR"] = directory,
            ["ACGS_ADMIN_TOKEN"] = Token,
            ["REDIS_URL"] = string.Empty,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var app = ControlPlaneApplication.Build([], configuration => configuration.AddInMemoryCollection(settings));
        await app.StartAsync().ConfigureAwait(false);
        using var stop = new CancellationTokenSource();
        try
        {
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = watchers * 2 + 8, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10) };
            using var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = address, Timeout = Timeout.InfiniteTimeSpan };

            // ACKs and the calibration share a pool of at most --ack-connections (default 1,000): a watcher costs two
            // descriptors in this process (client and server end), and the process may open 20,000.
            using var ackHandler = new SocketsHttpHandler { MaxConnectionsPerServer = ackConnections, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10) };
            using var acks = new HttpClient(ackHandler, disposeHandler: false) { BaseAddress = address, Timeout = Timeout.InfiniteTimeSpan };
            var idle = Footprint.Measure();
            using var admin = new HttpClient(new SocketsHttpHandler()) { BaseAddress = address };
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);

            await EgressPolicies.ActivateAsync(admin, services, calls).ConfigureAwait(false);
            var sidecars = new List<SimulatedSidecar>();
            var runs = new List<Task>();
            for (var i = 0; i < watchers; i++)
            {
                var sidecar = new SimulatedSidecar(http, acks, "svc-" + (i % services).ToString(CultureInfo.InvariantCulture), "node-" + i.ToString(CultureInfo.InvariantCulture), 20000 + i, fullWork: i < fullWork);
                sidecars.Add(sidecar);
                runs.Add(sidecar.RunAsync(stop.Token));
            }

            await WaitAsync(() => sidecars.All(s => s.Ready), TimeSpan.FromSeconds(300)).ConfigureAwait(false);
            await Send(admin.PostAsJsonAsync("/api/v1/policies", new JsonObject { ["id"] = "bench-breaker" })).ConfigureAwait(false);
            await Task.Delay(500).ConfigureAwait(false); // let the registrations' rebuilds settle
            var connected = Footprint.Measure();

            var hub = app.Services.GetRequiredService<DistributionHub>();
            var samples = new List<double>();
            var requests = new List<double>();
            var delivered = new List<double>();
            var server = new List<double>();
            var processing = new List<double>();
            var rebuilds = new List<double>();
            var phases = new List<RebuildTimings>();
            var cpu = new List<double>();
            using var process = Process.GetCurrentProcess();
            var calibration = new List<double>();
            var warmRounds = 0;
            var settled = 0;
            var jitSeen = System.Runtime.JitInfo.GetCompilationTime();
            for (var round = 1; samples.Count < activations; round++)
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
                await Send(admin.PostAsJsonAsync("/api/v1/policies/bench-breaker/versions", new JsonObject { ["version"] = version, ["content"] = content })).ConfigureAwait(false);
                await Task.Delay(50).ConfigureAwait(false);
                var calibrated = await CalibrateAsync(acks, watchers).ConfigureAwait(false);
                await Task.Delay(50).ConfigureAwait(false);

                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                var start = Stopwatch.GetTimestamp();
                await Send(admin.PutAsync("/api/v1/policies/bench-breaker/activate?version=" + version, null)).ConfigureAwait(false);
                var requestMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                await WaitAsync(() => sidecars.All(s => s.TryGetTiming(failMax, out _)), TimeSpan.FromSeconds(120)).ConfigureAwait(false);
                process.Refresh();
                var cpuMs = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
                long lastAck = 0, lastReceived = 0, work = 0;
                for (var i = 0; i < sidecars.Count; i++)
                {
                    sidecars[i].TryGetTiming(failMax, out var timing);
                    lastAck = Math.Max(lastAck, timing.Acked);
                    lastReceived = Math.Max(lastReceived, timing.Received);
                    work = i < fullWork ? Math.Max(work, timing.ProcessingTicks) : work;
                }

                var jit = System.Runtime.JitInfo.GetCompilationTime();
                var jitMs = (jit - jitSeen).TotalMilliseconds;
                jitSeen = jit;
                if (verbose)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: request {requestMs:F1} ms, last line {Stopwatch.GetElapsedTime(start, lastReceived).TotalMilliseconds:F1} ms, last ACK {Stopwatch.GetElapsedTime(start, lastAck).TotalMilliseconds:F1} ms, server {hub.LastConvergence?.TotalMilliseconds:F1} ms, rebuild {hub.LastRebuildDuration.TotalMilliseconds:F1} ms, cpu {cpuMs:F1} ms, pending {hub.PendingCount}, JIT {jitMs:F1} ms"));
                }

                if (!WarmUp.Done(warmRounds, warmup, warmupMax, settled))
                {
                    warmRounds++; // warm-up (JIT, connection pools): not counted
                    settled = WarmUp.Settled(settled, jitMs);
                    continue;
                }

                samples.Add(Stopwatch.GetElapsedTime(start, lastAck).TotalMilliseconds);
                requests.Add(requestMs);
                delivered.Add(Stopwatch.GetElapsedTime(start, lastReceived).TotalMilliseconds);
                server.Add(hub.LastConvergence?.TotalMilliseconds ?? double.NaN);
                cpu.Add(cpuMs);
                rebuilds.Add(hub.LastRebuildDuration.TotalMilliseconds);
                phases.Add(hub.LastRebuildTimings);
                processing.Add(work * 1000.0 / Stopwatch.Frequency);
                calibration.Add(calibrated);
            }

            samples.Sort();
            requests.Sort();
            calibration.Sort();
            delivered.Sort();
            server.Sort();
            processing.Sort();
            rebuilds.Sort();
            cpu.Sort();
            var p50 = Percentile(samples, 50);
            var p90 = Percentile(samples, 90);
            var p99 = Percentile(samples, 99);
            Console.WriteLine($"ACGS control-plane convergence — {watchers} watchers ({services} services, {(calls == 0 ? "every snapshot holds every cluster" : $"each calls {calls} others (Egress)")}), {activations} activations (+{warmRounds} warm-up{(settled >= WarmUp.SettledRounds ? ", JIT settled" : ", JIT not settled")}), embedded store, loopback HTTP/1.1 NDJSON");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"activation -> last ACK: min {samples[0]:F1} ms, median {p50:F1} ms, p90 {p90:F1} ms, p99 {p99:F1} ms, max {samples[^1]:F1} ms"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"of which the activation request itself (commit incl. fsync): median {Percentile(requests, 50):F1} ms, p99 {Percentile(requests, 99):F1} ms"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"calibration ({watchers} concurrent GET /health/live on the same loopback, interleaved): median {Percentile(calibration, 50):F1} ms, p99 {Percentile(calibration, 99):F1} ms; load average {LoadAverage()}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"activation -> last snapshot line read by a watcher: median {Percentile(delivered, 50):F1} ms, p99 {Percentile(delivered, 99):F1} ms"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"server-side metric (commit -> last ACK, acgs_controlplane_convergence_seconds): median {Percentile(server, 50):F1} ms, p99 {Percentile(server, 99):F1} ms; connected: {hub.Watchers.Count}, pending: {hub.PendingCount}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rebuild (load active policies, compile {services} services, queue {watchers} pushes): median {Percentile(rebuilds, 50):F1} ms, p99 {Percentile(rebuilds, 99):F1} ms"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rebuild phases (medians): load {Median(phases, t => t.Load)} ms, compile {Median(phases, t => t.Compile)} ms ({Percentile([.. phases.Select(t => (double)t.Compiled)], 50)} compiled, {Percentile([.. phases.Select(t => (double)t.Reused)], 50)} reused), serialize {Median(phases, t => t.Serialize)} ms, queue {Median(phases, t => t.Queue)} ms; snapshot line {SnapshotBytes(hub)} bytes"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CPU of this process (control plane + every watcher) from activation sent to last ACK: median {Percentile(cpu, 50):F1} ms, p99 {Percentile(cpu, 99):F1} ms ({Environment.ProcessorCount} cores)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{fullWork} of {watchers} watchers parse + validate each snapshot like a sidecar (the others scan version/nonce and ACK; --full-work all = every one in this process); slowest full watcher's parse + validate per round: median {Percentile(processing, 50):F2} ms, p99 {Percentile(processing, 99):F2} ms"));
            Console.WriteLine(ConvergenceGoal.Line(p99, watchers, replicas: 0));
            Console.WriteLine($"reproduce: dotnet run -c Release --project perf/Acgs.Perf.Convergence -- --watchers {watchers} --activations {activations} --services {services} --warmup {warmup} --warmup-max {warmupMax} --calls {calls} --full-work {(fullWork == watchers ? "all" : fullWork.ToString(CultureInfo.InvariantCulture))}");
            var connections = Footprint.EstablishedTo(address.Port);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"real loopback connections to the control plane: {connections}; this process (control plane + simulated sidecars): RSS {idle.RssBytes / 1048576.0:F0} MB before the watchers, {connected.RssBytes / 1048576.0:F0} MB with them; managed heap {idle.HeapBytes / 1048576.0:F0} -> {connected.HeapBytes / 1048576.0:F0} MB"));
            if (json is not null)
            {
                var summary = new JsonObject
                {
                    ["constitutional_hash"] = AcgsConstants.ConstitutionalHash,
                    ["watchers"] = watchers, ["services"] = services, ["calls"] = calls, ["activations"] = activations, ["full_work"] = fullWork,
                    ["p50_ms"] = p50, ["p90_ms"] = p90, ["p99_ms"] = p99, ["max_ms"] = samples[^1],
                    ["goal_p99_ms"] = ConvergenceGoal.For(watchers, 0), ["goal_met"] = ConvergenceGoal.Met(p99, watchers, 0),
                    ["warmup"] = new JsonObject { ["rounds"] = warmRounds, ["least"] = warmup, ["most"] = warmupMax, ["jit_settled"] = settled >= WarmUp.SettledRounds },
                    ["server_p50_ms"] = Percentile(server, 50), ["server_p99_ms"] = Percentile(server, 99),
                    ["rebuild_p50_ms"] = Percentile(rebuilds, 50), ["rebuild_p99_ms"] = Percentile(rebuilds, 99),
                    ["compile_p50_ms"] = double.Parse(Median(phases, t => t.Compile), CultureInfo.InvariantCulture),
                    ["cpu_p50_ms"] = Percentile(cpu, 50), ["cpu_p99_ms"] = Percentile(cpu, 99),
                    ["calibration_p50_ms"] = Percentile(calibration, 50),
                    ["rss_idle_bytes"] = idle.RssBytes, ["rss_connected_bytes"] = connected.RssBytes,
                    ["heap_idle_bytes"] = idle.HeapBytes, ["heap_connected_bytes"] = connected.HeapBytes,
                    ["connections"] = connections, ["snapshot_line_bytes"] = SnapshotBytes(hub),
                    ["load_average"] = LoadAverage(), ["cores"] = Environment.ProcessorCount,
                    ["binaries"] = ControlPlaneBuild.Binaries(BenchArguments.Parse(args, out _), AppContext.BaseDirectory),
                };
                await File.WriteAllTextAsync(json, summary.ToJsonString()).ConfigureAwait(false);
            }

            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAny(Task.WhenAll(runs), Task.Delay(2000)).ConfigureAwait(false);
            return ConvergenceGoal.ExitCode(p99, watchers, replicas: 0);
        }
        finally
        {
            await app.StopAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            Directory.Delete(directory, recursive: true);
        }
    }
}
