// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.LoadTest.Running;
using Acgs.LoadTest.Tests.Stats;
using Acgs.LoadTest.Thresholds;
using Xunit;

namespace Acgs.LoadTest.Tests.Running;

public sealed class RunResultMergeTests
{
    private static readonly Threshold[] Thresholds = [Threshold.FailPercentAtMost(0), Threshold.AchievedAtLeastOfTarget(0.99)];

    [Fact]
    public void Merge_OneSliceFails_MergedThresholdFailsWithExitCodeOne()
    {
        var good = Result(ok: 100, fail: 0);
        var bad = Result(ok: 99, fail: 1);

        var m = RunResultMerge.Merge([good, bad], Thresholds);

        Assert.True(m.IsValid);
        Assert.Equal(RunResult.ExitThresholdFailed, m.ExitCode);
        Assert.Equal(200, m.Stats!.Requests);
    }

    [Fact]
    public void Merge_AllSlicesHold_ExitCodeIsZero()
    {
        var m = RunResultMerge.Merge([Result(ok: 100, fail: 0), Result(ok: 100, fail: 0)], Thresholds);

        Assert.Equal(RunResult.ExitPass, m.ExitCode);
    }

    [Fact]
    public void Merge_OneSliceInvalid_MergedResultIsInvalid()
    {
        var invalid = new RunResult { InvalidReasons = ["generator lagged"] };

        var m = RunResultMerge.Merge([Result(ok: 100, fail: 0), invalid], Thresholds);

        Assert.False(m.IsValid);
        Assert.Equal(RunResult.ExitInvalid, m.ExitCode);
        Assert.Contains(m.InvalidReasons, r => r.Contains("slice 2 of 2", StringComparison.Ordinal) && r.Contains("generator lagged", StringComparison.Ordinal));
        Assert.Equal(100, m.Stats!.Requests);
    }

    private static RunResult Result(long ok, long fail) => new()
    {
        Stats = ScenarioStatsMergeTests.Stats("s", ok, fail, durationS: 1, rate: 100, latenciesNs: [1000], codes: new() { [200] = ok }),
    };
}
