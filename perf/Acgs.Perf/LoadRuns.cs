// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.LoadTest.Running;
using Acgs.LoadTest.Scenarios;
using Acgs.LoadTest.Simulations;
using Acgs.LoadTest.Thresholds;
using Acgs.Perf.Lab;
using Acgs.Perf.Settings;

namespace Acgs.Perf;

/// <summary>The scenarios every mode runs against a target.</summary>
internal static class LoadRuns
{
    /// <summary>Thresholds of every open-model run (and of a round merged from slices): no failures,
    /// every response 200, achieved rate at least 99 % of the target.</summary>
    public static IReadOnlyList<Threshold> OpenThresholds { get; } =
        [Threshold.FailPercentAtMost(0), Threshold.AllStatus(200), Threshold.AchievedAtLeastOfTarget(0.99)];

    /// <summary>Open model at <paramref name="rate"/> with <see cref="OpenThresholds"/>.</summary>
    public static Task<RunResult> OpenAsync(Target target, double rate, TimeSpan warmUp, TimeSpan during, PerfSettings settings, CancellationToken ct) =>
        ScenarioRunner.RunAsync(
            Scenario.Create(target.Name, target.Client.SendAsync)
                .WithWarmUp(warmUp)
                .WithLoadSimulations(LoadSimulation.Inject(rate, during))
                .WithThresholds([.. OpenThresholds]),
            new RunOptions { MaxSchedulerLagP99 = settings.MaxSchedulerLagP99, InlineDispatch = true, PacerNice = -10 },
            ct);

    /// <summary>Closed model: <paramref name="copies"/> connections back to back.</summary>
    public static Task<RunResult> ClosedAsync(Target target, int copies, TimeSpan warmUp, TimeSpan during, CancellationToken ct) =>
        ScenarioRunner.RunAsync(
            Scenario.Create(target.Name, target.Client.SendAsync)
                .WithWarmUp(warmUp)
                .WithLoadSimulations(LoadSimulation.KeepConstant(copies, during))
                .WithThresholds(Threshold.FailPercentAtMost(0)),
            new RunOptions(),
            ct);

    /// <summary>Median of a list (mean of the middle two for an even count; 0 when empty).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return 0;
        }

        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
