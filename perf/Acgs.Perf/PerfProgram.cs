// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Runtime.InteropServices;
using Acgs.LoadTest.Faults;
using Acgs.Perf.Lab;
using Acgs.Perf.Modes;
using Acgs.Perf.Reporting;
using Acgs.Perf.Settings;

namespace Acgs.Perf;

/// <summary>Entry point of <c>./acgs perf</c>: parse, start the lab, run the mode(s), write the
/// results, kill every child (also on Ctrl-C, SIGTERM and exceptions). Exit code: the gate's
/// (0 pass, 1 fail, 2 invalid); for the other modes 0, or 2 when a run was invalid.</summary>
internal static class PerfProgram
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 0 && args[0] == "report")
        {
            var rootIndex = Array.IndexOf(args, "--root");
            return await ReadmeTable.RunAsync(rootIndex > 0 && rootIndex + 1 < args.Length ? args[rootIndex + 1] : Directory.GetCurrentDirectory(), Console.Out).ConfigureAwait(false);
        }

        if (args.Length > 0 && args[0] == "series")
        {
            return await GateSeries.RunAsync(args[1..], Console.Out).ConfigureAwait(false);
        }

        if (args.Length > 0 && args[0] == "burn")
        {
            return CpuBurner.Run(args[1..], Console.Error);
        }

        if (args.Length > 0 && args[0] == "soak")
        {
            return await Soak.SoakRunner.RunAsync(args[1..]).ConfigureAwait(false);
        }

        var (settings, errors) = PerfSettings.Parse(args);
        if (settings is null)
        {
            foreach (var e in errors)
            {
                await Console.Error.WriteLineAsync("acgs perf: " + e).ConfigureAwait(false);
            }

            await Console.Error.WriteLineAsync(PerfSettings.Usage).ConfigureAwait(false);
            return 2;
        }

        // The sidecar build to measure, checked before anything starts: under ACGS_PERF_BUILT=1 a missing or stale build is
        // refused (one line, exit 2) rather than measured under a label it does not deserve (Lab/SidecarChoice.cs).
        var configuration = Environment.GetEnvironmentVariable("ACGS_CONFIGURATION") ?? "Release";
        var sidecar = SidecarChoice.Resolve(settings.Root, PerfLab.BuildOutputPath(settings.Root, configuration, "dataplane/Acgs.Sidecar").Path,
            settings.Jit, SidecarChoice.BuiltAlready(), Environment.GetEnvironmentVariable(PerfLab.SidecarBinaryVariable));
        if (sidecar.Refusal is not null)
        {
            await Console.Error.WriteLineAsync("acgs perf: " + sidecar.Refusal).ConfigureAwait(false);
            return 2;
        }

        using var cts = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        var started = TimeProvider.System.GetUtcNow();
        var dir = settings.OutputDirectory ?? Path.Combine(settings.Root, "perf", "results", started.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + (settings.Mode == PerfMode.Ab ? "-ab" : ""));
        var report = new PerfReport(Console.Out, dir);
        PerfLab? lab = null;
        ProcessStaller? staller = null;
        var exit = 2;
        try
        {
            report.Line($"# ACGS perf: {settings.Mode.ToString().ToLowerInvariant()} ({started:u})");
            report.Line();
            report.Line($"Machine: {Environment.ProcessorCount} CPUs, {RuntimeInformation.OSDescription}, .NET {Environment.Version}. Shared and noisy: compare ratios, not absolute times.");
            lab = await PerfLab.StartAsync(settings, sidecar, Console.Out, cts.Token).ConfigureAwait(false);
            report.Line("Targets: " + string.Join(", ", lab.Targets.Select(t => t.Name)) + (lab.Notes.Count > 0 ? " — " + string.Join("; ", lab.Notes) : ""));
            report.Line("Binaries: " + (lab.Binaries.Count > 0 ? string.Join("; ", lab.Binaries.Select(b => b.Describe(settings.Root))) : "no sidecar started"));
            report.Json["sidecar_build"] = lab.SidecarBuild;
            report.Json["binaries"] = new System.Text.Json.Nodes.JsonArray(lab.Binaries.Select(b => (System.Text.Json.Nodes.JsonNode)b.ToJson()).ToArray());
            report.Line(".NET targets' environment: " + string.Join(' ', lab.DotnetEnvironment.Select(kv => $"{kv.Key}={kv.Value}")));
            report.Line();
            report.Json["mode"] = settings.Mode.ToString().ToLowerInvariant();
            report.Json["arguments"] = string.Join(' ', args);
            report.Json["rate"] = settings.Rate;
            report.Json["machine"] = $"{Environment.ProcessorCount} CPUs, {RuntimeInformation.OSDescription}";
            report.Json["started"] = started.ToString("O", CultureInfo.InvariantCulture);
            report.Json["targets"] = new System.Text.Json.Nodes.JsonArray(lab.Targets.Select(t => (System.Text.Json.Nodes.JsonNode)t.Name).ToArray());
            staller = StartStaller(lab, settings, report);
            exit = settings.Mode switch
            {
                PerfMode.Gate => await GateMode.RunAsync(lab, settings, report, cts.Token).ConfigureAwait(false),
                PerfMode.Compare => await CompareMode.RunAsync(lab, settings, report, cts.Token).ConfigureAwait(false),
                PerfMode.Capacity => await CapacityMode.RunAsync(lab, settings, report, cts.Token).ConfigureAwait(false),
                PerfMode.Efficiency => await EfficiencyMode.RunAsync(lab, settings, report, cts.Token).ConfigureAwait(false),
                PerfMode.Ab => await AbMode.RunAsync(lab, settings, report, cts.Token).ConfigureAwait(false),
                _ => await AllAsync(lab, settings, report, cts.Token).ConfigureAwait(false),
            };
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            report.Line("interrupted: the run is invalid");
            exit = 2;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or TimeoutException or HttpRequestException or System.Text.Json.JsonException)
        {
            report.Line($"INVALID: {ex.GetType().Name}: {ex.Message}");
            exit = 2;
        }
        finally
        {
            staller?.Dispose();
            lab?.Dispose();
        }

        if (staller is not null)
        {
            report.Json["injected_stalls"] = staller.Stalls;
        }

        report.Json["exit_code"] = exit;
        report.Json["elapsed_s"] = Math.Round((TimeProvider.System.GetUtcNow() - started).TotalSeconds, 1);
        await report.WriteAsync().ConfigureAwait(false);
        Console.WriteLine($"results: {dir} (exit code {exit})");
        return exit;

        void Cancel(PosixSignalContext context)
        {
            context.Cancel = true;
            cts.Cancel();
        }
    }

    /// <summary>Starts the injected stalls of <c>--stall</c> on every proxy's process tree (never the backend or the generator).</summary>
    private static ProcessStaller? StartStaller(PerfLab lab, PerfSettings settings, PerfReport report)
    {
        if (settings.StallStop <= TimeSpan.Zero)
        {
            return null;
        }

        var pids = new List<int>();
        foreach (var target in lab.Targets)
        {
            if (target.Kind != TargetKind.Direct && target.Process is { } process)
            {
                pids.AddRange(ProcFs.Tree(process.Pid));
            }
        }

        var staller = new ProcessStaller(pids, settings.StallStop, settings.StallPeriod);
        staller.Start();
        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"Injected stalls: every proxy stopped (SIGSTOP) for {settings.StallStop.TotalMilliseconds:0} ms every {settings.StallPeriod.TotalMilliseconds:0} ms ({pids.Count} processes); latencies show how each drains the backlog. Not a gate run."));
        report.Line();
        report.Json["stall"] = string.Create(CultureInfo.InvariantCulture, $"{settings.StallStop.TotalMilliseconds:0}/{settings.StallPeriod.TotalMilliseconds:0}");
        return staller;
    }

    private static async Task<int> AllAsync(PerfLab lab, PerfSettings settings, PerfReport report, CancellationToken ct)
    {
        var gate = await GateMode.RunAsync(lab, settings, report, ct).ConfigureAwait(false);
        report.Line();
        await CompareMode.RunAsync(lab, settings, report, ct).ConfigureAwait(false);
        await CapacityMode.RunAsync(lab, settings, report, ct).ConfigureAwait(false);
        await EfficiencyMode.RunAsync(lab, settings, report, ct).ConfigureAwait(false);
        return gate;
    }
}
