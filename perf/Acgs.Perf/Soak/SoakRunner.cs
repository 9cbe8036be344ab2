// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Acgs.LoadTest.Http;
using Acgs.LoadTest.Running;
using Acgs.LoadTest.Scenarios;
using Acgs.LoadTest.Simulations;

namespace Acgs.Perf.Soak;

/// <summary>
/// <c>./acgs perf soak</c>: an open-model load through svc-a's sidecar to svc-b's sidecar, idle connections held open
/// on both, the control plane killed (-9) and restarted periodically, RSS and descriptors sampled every 10 s; the
/// report (perf/results/&lt;ts&gt;-soak) gives failed requests, the RSS curve and the descriptor counts. Exit code
/// 0 when nothing failed, RSS stayed flat and no descriptor leaked; 1 otherwise; 2 for bad settings or an invalid run.
/// </summary>
internal static class SoakRunner
{
    private static readonly TimeSpan SliceLength = TimeSpan.FromSeconds(30);

    /// <summary>How long the descriptor check waits for the pools to idle out after the load.</summary>
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(150);

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var (settings, errors) = SoakSettings.Parse(args);
        if (settings is null)
        {
            foreach (var e in errors)
            {
                await Console.Error.WriteLineAsync("acgs perf soak: " + e).ConfigureAwait(false);
            }

            await Console.Error.WriteLineAsync(SoakSettings.Usage).ConfigureAwait(false);
            return 2;
        }

        var needed = settings.IdleConnections + 2048L;
        if (SoftDescriptorLimit() is { } soft && soft < needed)
        {
            await Console.Error.WriteLineAsync($"acgs perf soak: ulimit -n is {soft}; --idle {settings.IdleConnections} needs at least {needed} descriptors in the runner (raise it with ulimit -n)").ConfigureAwait(false);
            return 2;
        }

        var started = DateTimeOffset.UtcNow;
        var stamp = started.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var dir = settings.OutputDirectory ?? Path.Combine(settings.Root, "perf", "results", stamp + "-soak");
        var work = Path.Combine(Path.GetTempPath(), "acgs-soak-" + stamp);
        Directory.CreateDirectory(dir);
        Directory.CreateDirectory(work);
        using var cts = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; cts.Cancel(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; cts.Cancel(); });
        var report = new SoakReport(settings, started, work);
        try
        {
            await RunMeshAsync(settings, report, work, cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or TimeoutException or IOException or HttpRequestException)
        {
            report.Invalid = $"{ex.GetType().Name}: {ex.Message}";
        }

        var exit = report.Verdict();
        await report.WriteAsync(dir, Console.Out).ConfigureAwait(false);
        Console.WriteLine($"results: {dir} (exit code {exit}; process logs in {work})");
        return exit;
    }

    private static async Task RunMeshAsync(SoakSettings settings, SoakReport report, string work, CancellationToken ct)
    {
        Console.WriteLine($"soak: {settings.Duration.TotalMinutes} min at {settings.Rate} req/s, {settings.IdleConnections} idle connections, control-plane restart every {settings.RestartEvery.TotalMinutes} min (logs in {work})");
        using var mesh = await SoakMesh.StartAsync(settings.Root, work, ct).ConfigureAwait(false);
        report.SidecarBuild = mesh.SidecarBuild;
        report.SidecarNote = mesh.SidecarNote;
        report.Binaries = mesh.Binaries;
        report.FdsBefore = (SoakSampler.Descriptors(mesh.A.Process.Pid), SoakSampler.Descriptors(mesh.B.Process.Pid));
        var idle = new IdleConnectionHolder();
        await using (idle.ConfigureAwait(false))
        {
            idle.Start(settings.IdleConnections, [mesh.A.Inbound, mesh.B.Inbound], TimeSpan.FromSeconds(20));
            for (var deadline = DateTime.UtcNow.AddSeconds(60); idle.Open < settings.IdleConnections * 0.95 && DateTime.UtcNow < deadline;)
            {
                await Task.Delay(500, ct).ConfigureAwait(false);
            }

            Console.WriteLine($"soak: {idle.Open} idle connections open; load starts");
            var clock = Stopwatch.StartNew();
            var sampler = new SoakSampler(mesh, idle, clock);
            using var background = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var sampling = sampler.RunAsync(TimeSpan.FromSeconds(10), background.Token);
            var restarts = RestartLoopAsync(mesh, settings, report, clock, background.Token);
            try
            {
                await LoadAsync(mesh, settings, report, clock, ct).ConfigureAwait(false);
            }
            finally
            {
                await background.CancelAsync().ConfigureAwait(false);
                report.Samples = sampler.Samples;
                await sampling.ConfigureAwait(false);
                await restarts.ConfigureAwait(false);
                report.Samples = sampler.Samples;
                report.IdleOpened = idle.Opened;
                report.IdleRefused = idle.Refused;
                report.IdleNotOk = idle.NotOk;
            }
        }

        // Every connection of the runner closed: the sidecars' descriptors go back to where they started once their
        // pooled upstream connections idle out (a minute); a leak stays above.
        var settle = Stopwatch.StartNew();
        do
        {
            await Task.Delay(TimeSpan.FromSeconds(5), ct).ConfigureAwait(false);
            report.FdsAfter = (SoakSampler.Descriptors(mesh.A.Process.Pid), SoakSampler.Descriptors(mesh.B.Process.Pid));
        }
        while (settle.Elapsed < SettleLimit && (report.FdsAfter.A > report.FdsBefore.A + SoakReport.DescriptorTolerance || report.FdsAfter.B > report.FdsBefore.B + SoakReport.DescriptorTolerance));

        report.SettleSeconds = Math.Round(settle.Elapsed.TotalSeconds);
        report.SidecarsAlive = !mesh.A.Process.HasExited && !mesh.B.Process.HasExited;
    }

    private static async Task LoadAsync(SoakMesh mesh, SoakSettings settings, SoakReport report, Stopwatch clock, CancellationToken ct)
    {
        using var client = new RawHttpClient(new RawHttpClientOptions
        {
            Target = new Uri(mesh.A.Outbound, "/soak"),
            Host = "svc-b",
            Headers = [new("X-Constitutional-Hash", "cdd01ef066bc6cf2")],
        });
        while (clock.Elapsed < settings.Duration)
        {
            var start = clock.Elapsed.TotalSeconds;
            var length = settings.Duration - clock.Elapsed < SliceLength ? settings.Duration - clock.Elapsed : SliceLength;
            var result = await ScenarioRunner.RunAsync(
                Scenario.Create("soak", client.SendAsync).WithLoadSimulations(LoadSimulation.Inject(settings.Rate, length)),
                new RunOptions { InlineDispatch = true, MaxSchedulerLagP99 = TimeSpan.FromSeconds(30), MinSendRateRatio = 0.01 },
                ct).ConfigureAwait(false);
            if (result.Stats is not { } stats)
            {
                throw new InvalidOperationException("a load slice returned no statistics: " + string.Join("; ", result.InvalidReasons));
            }

            var ok = stats.StatusCodes.TryGetValue(200, out var twoHundred) ? twoHundred : 0;
            var slice = new SoakSlice(Math.Round(start, 1), stats.Requests, stats.Requests - ok, stats.StatusCodes, Math.Round(stats.AchievedRate, 1),
                Math.Round(stats.LatencyMs(50), 2), Math.Round(stats.LatencyMs(99), 2), Math.Round(stats.LatencyMs(100), 2));
            report.Slices.Add(slice);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"soak: t={start,6:0}s requests {slice.Requests}, failed {slice.Failed}, {slice.AchievedRate} req/s, p99 {slice.P99Ms} ms"));
        }
    }

    private static async Task RestartLoopAsync(SoakMesh mesh, SoakSettings settings, SoakReport report, Stopwatch clock, CancellationToken ct)
    {
        if (settings.RestartEvery <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            for (var next = settings.RestartEvery; next < settings.Duration; next += settings.RestartEvery)
            {
                var wait = next - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, ct).ConfigureAwait(false);
                }

                var killedAt = clock.Elapsed.TotalSeconds;
                var (ready, reconnected) = await mesh.RestartControlPlaneAsync(settings.Down, ct).ConfigureAwait(false);
                report.Restarts.Add(new SoakRestart(Math.Round(killedAt, 1), Math.Round(ready.TotalSeconds, 1), Math.Round(reconnected.TotalSeconds, 1)));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"soak: t={killedAt,6:0}s control plane killed; ready {ready.TotalSeconds:0.0} s after the restart, both sidecars connected after {reconnected.TotalSeconds:0.0} s"));
            }
        }
        catch (OperationCanceledException)
        {
            // the soak is over
        }
    }

    private static long? SoftDescriptorLimit()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/limits"))
            {
                if (line.StartsWith("Max open files", StringComparison.Ordinal))
                {
                    var parts = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var soft) ? soft : null;
                }
            }
        }
        catch (IOException)
        {
            // not Linux: no check
        }

        return null;
    }
}
