// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.LoadTest.Running;
using Acgs.Perf.Lab;
using Acgs.Perf.Reporting;
using Acgs.Perf.Settings;

namespace Acgs.Perf.Modes;

/// <summary>Runs the same open-model scenario against several targets, warm-up first, then
/// round after round, each round interleaved in short slices, so drifts of the machine hit every
/// target alike.</summary>
internal static class Interleaved
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task WarmUpAsync(IReadOnlyList<Target> targets, TimeSpan warmUp, PerfSettings settings, PerfReport report, CancellationToken ct)
    {
        foreach (var t in targets)
        {
            var r = await LoadRuns.OpenAsync(t, settings.Rate, TimeSpan.Zero, warmUp, settings, ct).ConfigureAwait(false);
            report.Line(string.Create(Inv, $"  warm-up {t.Name,-10} {warmUp.TotalSeconds:0} s: {r.Stats?.Ok ?? 0} ok, {r.Stats?.Fail ?? 0} failed"));
        }
    }

    /// <summary>Measures each target (and, with <paramref name="cpu"/>, the CPU each proxy spends in its own slices) for <paramref name="during"/> per round, <see cref="PerfSettings.Rounds"/>
    /// rounds. Within a round the time is cut into slices of about <see cref="PerfSettings.Slice"/>:
    /// slice after slice, every target runs once (the order rotates by one each slice), and a target's
    /// slices are merged into its round (histograms and counts added, thresholds evaluated on the
    /// merge, any invalid slice makes the round invalid). A burst of noise on a shared machine that
    /// lasts seconds then lands on every target in turn instead of on one target's whole round.</summary>
    public static async Task<Dictionary<TargetKind, List<RunResult>>> OpenRoundsAsync(
        IReadOnlyList<Target> targets, string mode, TimeSpan during, PerfSettings settings, PerfReport report, CancellationToken ct, CpuTally? cpu = null)
    {
        var slices = SliceCount(during, settings.Slice);
        var sliceDuring = during / slices;
        var results = targets.ToDictionary(t => t.Kind, _ => new List<RunResult>());
        for (var round = 1; round <= settings.Rounds; round++)
        {
            var parts = targets.ToDictionary(t => t.Kind, _ => new List<RunResult>(slices));
            for (var slice = 0; slice < slices; slice++)
            {
                for (var i = 0; i < targets.Count; i++)
                {
                    var t = targets[(i + slice) % targets.Count];
                    parts[t.Kind].Add(cpu is null
                        ? await LoadRuns.OpenAsync(t, settings.Rate, TimeSpan.Zero, sliceDuring, settings, ct).ConfigureAwait(false)
                        : await cpu.MeasureAsync(t, () => LoadRuns.OpenAsync(t, settings.Rate, TimeSpan.Zero, sliceDuring, settings, ct)).ConfigureAwait(false));
                }
            }

            foreach (var t in targets)
            {
                var r = RunResultMerge.Merge(parts[t.Kind], LoadRuns.OpenThresholds);
                results[t.Kind].Add(r);
                report.AddRun(string.Create(Inv, $"{mode}-r{round}-{t.Name}"), r);
                report.Line(Describe(round, t.Name, r));
            }
        }

        return results;
    }

    /// <summary>How many slices <paramref name="during"/> is cut into: about one per
    /// <paramref name="slice"/>, at least one (a zero or longer slice means one).</summary>
    public static int SliceCount(TimeSpan during, TimeSpan slice) =>
        slice <= TimeSpan.Zero || slice >= during ? 1 : Math.Max(1, (int)Math.Round(during / slice));

    public static string Describe(int round, string name, RunResult r)
    {
        var s = r.Stats;
        if (s is null)
        {
            return string.Create(Inv, $"  round {round} {name,-10} INVALID {string.Join("; ", r.InvalidReasons)}");
        }

        var line = string.Create(Inv,
            $"  round {round} {name,-10} p50 {s.LatencyMs(50),7:0.000} p90 {s.LatencyMs(90),7:0.000} p99 {s.LatencyMs(99),8:0.000} p99.9 {s.LatencyMs(99.9),8:0.000} ms | {s.AchievedRate,7:0} req/s, {s.Fail} failed, lag p99 {s.LagMs(99):0.000} ms, gen CPU {s.GeneratorCpuUsPerRequest:0} µs/req");
        return r.IsValid ? line : line + " | INVALID: " + string.Join("; ", r.InvalidReasons);
    }
}
