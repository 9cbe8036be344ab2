// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Perf.Modes;

namespace Acgs.Perf.Tests.Modes;

/// <summary>The capacity lines: a small rate shortfall is judged only on a quiet host, a large one on any host whose CPU was not taken; the CPU ratio only when both proxies ran uncontended.</summary>
public sealed class GateCapacityLineTests
{
    private static GateCheck Line(List<GateCheck> checks) =>
        checks.Single(c => c.Name.StartsWith("achieved rate", StringComparison.Ordinal));

    [Fact]
    public void Evaluate_SmallShortfallOnNoisyCalibration_Inconclusive()
    {
        // The clean-clone run that failed: 98.92 %, direct p99 3.3 ms, the sidecar's wait/run 0.04, nginx kept up.
        var checks = GateLines.Evaluate(GateRuns.Inputs(_ => GateRuns.Round(0.1, 3.3, lagMs: 2.5), _ => GateRuns.Round(1.0, 95, lagMs: 2.0, achieved: 0.9892), _ => GateRuns.Round(0.4, 6.9, lagMs: 2.2), sidecarWaitToRun: 0.04));

        var line = Line(checks);
        Assert.Equal(CheckStatus.Inconclusive, line.Status);
        Assert.Contains("machine too noisy to judge", line.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_SmallShortfallOnQuietHost_Fails()
    {
        var checks = GateLines.Evaluate(GateRuns.Inputs(_ => GateRuns.Round(0.08, 0.3), _ => GateRuns.Round(0.15, 0.6, achieved: 0.985), _ => GateRuns.Round(0.12, 0.5)));

        Assert.Equal(CheckStatus.Fail, Line(checks).Status);
    }

    [Fact]
    public void Evaluate_LargeShortfallOnNoisyCalibrationUncontendedCpu_Fails()
    {
        var checks = GateLines.Evaluate(GateRuns.Inputs(_ => GateRuns.Round(0.1, 3.3, lagMs: 2.5), _ => GateRuns.Round(1.0, 95, lagMs: 2.0, achieved: 0.85), _ => GateRuns.Round(0.4, 6.9, lagMs: 2.2), sidecarWaitToRun: 0.04));

        var line = Line(checks);
        Assert.Equal(CheckStatus.Fail, line.Status);
        Assert.StartsWith("below 90", line.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_LargeShortfallWhileCpuStolen_Inconclusive()
    {
        var checks = GateLines.Evaluate(GateRuns.Inputs(_ => GateRuns.Round(0.08, 0.3), _ => GateRuns.Round(0.15, 0.6, achieved: 0.85), _ => GateRuns.Round(0.12, 0.5), sidecarSteal: 0.15));

        Assert.Equal(CheckStatus.Inconclusive, Line(checks).Status);
    }

    [Fact]
    public void Evaluate_SmallShortfallOnQuietCalibrationWhileCpuStolen_Inconclusive()
    {
        var checks = GateLines.Evaluate(GateRuns.Inputs(_ => GateRuns.Round(0.08, 0.3), _ => GateRuns.Round(0.15, 0.6, achieved: 0.985), _ => GateRuns.Round(0.12, 0.5), sidecarSteal: 0.05));

        var line = Line(checks);
        Assert.Equal(CheckStatus.Inconclusive, line.Status);
        Assert.Contains("the hypervisor stole 5.0 %", line.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_RateMetOnNoisyHost_Passes()
    {
        var checks = GateLines.Evaluate(GateRuns.Inputs(_ => GateRuns.Round(0.1, 3.3, lagMs: 2.5), _ => GateRuns.Round(1.0, 95, lagMs: 2.0, achieved: 0.995), _ => GateRuns.Round(0.4, 6.9, lagMs: 2.2), sidecarSteal: 0.2));

        Assert.Equal(CheckStatus.Pass, Line(checks).Status);
    }

    [Fact]
    public void Evaluate_CpuRatioOverBoundWhileNginxContended_CpuLineInconclusive()
    {
        var checks = GateLines.Evaluate(GateRuns.Inputs(_ => GateRuns.Round(0.08, 0.3), _ => GateRuns.Round(0.15, 0.6), _ => GateRuns.Round(0.12, 0.5), sidecarCpuUs: 126, nginxCpuUs: 52, nginxWaitToRun: 0.34));

        var line = checks.Single(c => c.Name.StartsWith("sidecar CPU per request", StringComparison.Ordinal));
        Assert.Equal(CheckStatus.Inconclusive, line.Status);
        Assert.StartsWith("nginx's threads waited 0.34 s", line.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_CpuRatioOverBoundBothUncontended_CpuLineFails()
    {
        var checks = GateLines.Evaluate(GateRuns.Inputs(_ => GateRuns.Round(0.08, 0.3), _ => GateRuns.Round(0.15, 0.6), _ => GateRuns.Round(0.12, 0.5), sidecarCpuUs: 170, nginxCpuUs: 80, nginxWaitToRun: 0.2));

        Assert.Equal(CheckStatus.Fail, checks.Single(c => c.Name.StartsWith("sidecar CPU per request", StringComparison.Ordinal)).Status);
    }
}
