// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Perf.Modes;

namespace Acgs.Perf.Tests.Modes;

public sealed class GateLinesTests
{
    private static CheckStatus Line(List<GateCheck> checks, string startsWith) =>
        checks.Single(c => c.Name.StartsWith(startsWith, StringComparison.Ordinal)).Status;

    [Fact]
    public void Evaluate_QuietMachineAndFastSidecar_EveryLinePasses()
    {
        var checks = GateLines.Evaluate(GateRuns.Inputs(_ => GateRuns.Round(0.08, 0.3), _ => GateRuns.Round(0.15, 0.6), _ => GateRuns.Round(0.12, 0.5)));

        Assert.All(checks, c => Assert.Equal(CheckStatus.Pass, c.Status));
    }

    [Fact]
    public void Evaluate_QuietMachineAndSlowSidecar_FailsP90RatioAndEndToEnd()
    {
        var checks = GateLines.Evaluate(GateRuns.Inputs(_ => GateRuns.Round(0.08, 0.3), _ => GateRuns.Round(0.5, 3), _ => GateRuns.Round(0.12, 0.5)));

        Assert.Equal(CheckStatus.Fail, Line(checks, "sidecar p90"));
        Assert.Equal(CheckStatus.Fail, Line(checks, "end-to-end P99"));
    }

    [Fact]
    public void Evaluate_NoisyCalibration_LatencyLinesInconclusiveNeverFail()
    {
        var checks = GateLines.Evaluate(GateRuns.Inputs(_ => GateRuns.Round(0.08, 4), _ => GateRuns.Round(0.5, 30), _ => GateRuns.Round(0.12, 5)));

        Assert.Equal(CheckStatus.Inconclusive, Line(checks, "sidecar p90"));
        Assert.Equal(CheckStatus.Inconclusive, Line(checks, "end-to-end P99"));
        Assert.DoesNotContain(checks, c => c.Status == CheckStatus.Fail);
    }

    [Fact]
    public void Evaluate_GeneratorLagAboveQuietBound_LatencyLinesInconclusive()
    {
        var checks = GateLines.Evaluate(GateRuns.Inputs(_ => GateRuns.Round(0.08, 0.3), i => GateRuns.Round(0.5, 3, lagMs: i == 1 ? 3 : 0.05), _ => GateRuns.Round(0.12, 0.5)));

        Assert.Equal(CheckStatus.Inconclusive, Line(checks, "sidecar p90"));
    }

    [Fact]
    public void Evaluate_OnlyGeneratorLaggedReasons_ValidityInconclusiveOtherReasonsInvalid()
    {
        var lagged = GateLines.Evaluate(GateRuns.Inputs(_ => GateRuns.Round(0.08, 0.3, invalid: "generator lagged: scheduler lag p99 6 ms > 5 ms"), _ => GateRuns.Round(0.15, 0.6), _ => GateRuns.Round(0.12, 0.5)));
        var broken = GateLines.Evaluate(GateRuns.Inputs(_ => GateRuns.Round(0.08, 0.3), _ => GateRuns.Round(0.15, 0.6, invalid: "no request got a response (3 transport errors): target unreachable"), _ => GateRuns.Round(0.12, 0.5)));

        Assert.Equal(CheckStatus.Inconclusive, Line(lagged, "every run valid"));
        Assert.Equal(CheckStatus.Invalid, Line(broken, "every run valid"));
    }

    [Fact]
    public void Evaluate_SidecarBelowRateWhileNginxKeepsUp_FailsAchievedRate()
    {
        var checks = GateLines.Evaluate(GateRuns.Inputs(_ => GateRuns.Round(0.08, 0.3), _ => GateRuns.Round(0.15, 0.6, achieved: 0.9), _ => GateRuns.Round(0.12, 0.5)));

        Assert.Equal(CheckStatus.Fail, Line(checks, "achieved rate"));
    }

    [Fact]
    public void Evaluate_SidecarBelowRateWhileGeneratorLagged_AchievedRateInconclusive()
    {
        var checks = GateLines.Evaluate(GateRuns.Inputs(_ => GateRuns.Round(0.08, 0.3), _ => GateRuns.Round(0.15, 0.6, lagMs: 11, achieved: 0.985, invalid: "slice 1 of 4: generator lagged: scheduler lag p99 11 ms > 5 ms"), _ => GateRuns.Round(0.12, 0.5)));

        Assert.Equal(CheckStatus.Inconclusive, Line(checks, "achieved rate"));
    }

    [Fact]
    public void Evaluate_SidecarBelowRateWhileItsCpuWasContendedPastHeadroom_AchievedRateInconclusiveCpuStillJudged()
    {
        var checks = GateLines.Evaluate(GateRuns.Inputs(_ => GateRuns.Round(0.08, 0.3), _ => GateRuns.Round(0.15, 0.6, achieved: 0.973), _ => GateRuns.Round(0.12, 0.5), sidecarCpuUs: 105, nginxCpuUs: 51, sidecarWaitToRun: 0.08));

        Assert.Equal(CheckStatus.Inconclusive, Line(checks, "achieved rate"));
        Assert.Equal(CheckStatus.Fail, Line(checks, "sidecar CPU per request"));
    }

    [Fact]
    public void Evaluate_NginxAlsoStarved_AchievedRateAndOwnLatencyInconclusive()
    {
        var checks = GateLines.Evaluate(GateRuns.Inputs(_ => GateRuns.Round(0.08, 4), _ => GateRuns.Round(3000, 5000, achieved: 0.3), _ => GateRuns.Round(2000, 4000, achieved: 0.4), ownP99Us: 2300));

        Assert.Equal(CheckStatus.Inconclusive, Line(checks, "achieved rate"));
        Assert.Equal(CheckStatus.Inconclusive, Line(checks, "sidecar own added latency"));
    }

    [Fact]
    public void Evaluate_OwnAddedLatencyOverBoundOnHealthyHost_Fails()
    {
        var checks = GateLines.Evaluate(GateRuns.Inputs(_ => GateRuns.Round(0.08, 0.3), _ => GateRuns.Round(0.15, 0.6), _ => GateRuns.Round(0.12, 0.5), ownP99Us: 400));

        Assert.Equal(CheckStatus.Fail, Line(checks, "sidecar own added latency"));
    }

    [Fact]
    public void Evaluate_CpuPerRequestOverTwiceNginx_FailsEvenOnNoisyMachine()
    {
        var checks = GateLines.Evaluate(GateRuns.Inputs(_ => GateRuns.Round(0.08, 4), _ => GateRuns.Round(0.5, 30), _ => GateRuns.Round(0.12, 5), sidecarCpuUs: 120, nginxCpuUs: 50));

        Assert.Equal(CheckStatus.Fail, Line(checks, "sidecar CPU per request"));
    }

    [Fact]
    public void Evaluate_SidecarThreadsWaitedForContendedCpu_CapacityLinesInconclusive()
    {
        var checks = GateLines.Evaluate(GateRuns.Inputs(_ => GateRuns.Round(0.08, 0.3), _ => GateRuns.Round(300, 1500, achieved: 0.7), _ => GateRuns.Round(0.12, 0.5), sidecarCpuUs: 105, nginxCpuUs: 51, sidecarWaitToRun: 0.6));

        Assert.Equal(CheckStatus.Inconclusive, Line(checks, "achieved rate"));
        Assert.Equal(CheckStatus.Inconclusive, Line(checks, "sidecar CPU per request"));
    }

    [Fact]
    public void Evaluate_ContendedCpuButLinesMet_Pass()
    {
        var checks = GateLines.Evaluate(GateRuns.Inputs(_ => GateRuns.Round(0.08, 0.3), _ => GateRuns.Round(0.15, 0.6), _ => GateRuns.Round(0.12, 0.5), sidecarWaitToRun: 0.6));

        Assert.Equal(CheckStatus.Pass, Line(checks, "achieved rate"));
        Assert.Equal(CheckStatus.Pass, Line(checks, "sidecar CPU per request"));
    }

    [Fact]
    public void Evaluate_ErrorsThroughSidecar_Fails()
    {
        var checks = GateLines.Evaluate(GateRuns.Inputs(_ => GateRuns.Round(0.08, 0.3), _ => GateRuns.Round(0.15, 0.6, fail: 3), _ => GateRuns.Round(0.12, 0.5)));

        Assert.Equal(CheckStatus.Fail, Line(checks, "0 errors"));
    }

    [Fact]
    public void Evaluate_SpinLimitFromRuntimeDefault_FailsRuntimeLine()
    {
        var runtime = GateRuns.BuiltInRuntime.Replace("\"thread_pool_spin_limit\":0", "\"thread_pool_spin_limit\":70", StringComparison.Ordinal);

        var checks = GateLines.Evaluate(GateRuns.Inputs(_ => GateRuns.Round(0.08, 0.3), _ => GateRuns.Round(0.15, 0.6), _ => GateRuns.Round(0.12, 0.5), runtime: runtime));

        Assert.Equal(CheckStatus.Fail, Line(checks, "sidecar runtime settings"));
    }
}
