// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.LoadTest.Running;
using Acgs.Perf.Lab;
using Acgs.Perf.Reporting;
using Acgs.Perf.Settings;

namespace Acgs.Perf.Modes;

/// <summary>Runs the same open-model scenario against several targets, warm-up first, then
/// round after round in the same order, so slow drifts of the machine hit every target alike.</summary>
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

    public static async Task<Dictionary<TargetKind, List<RunResult>>> OpenRoundsAsync(
        IReadOnlyList<Target> targets, string mode, TimeSpan during, PerfSettings settings, PerfReport report, CancellationToken ct)
    {
        var results = targets.ToDictionary(t => t.Kind, _ => new List<RunResult>());
        for (var round = 1; round <= settings.Rounds; round++)
        {
            foreach (var t in targets)
            {
                var r = await LoadRuns.OpenAsync(t, settings.Rate, TimeSpan.Zero, during, settings, ct).ConfigureAwait(false);
                results[t.Kind].Add(r);
                report.AddRun(string.Create(Inv, $"{mode}-r{round}-{t.Name}"), r);
                report.Line(Describe(round, t.Name, r));
            }
        }

        return results;
    }

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
