// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.LoadTest.Running;
using Acgs.LoadTest.Tests.Stats;
using Xunit;

namespace Acgs.LoadTest.Tests.Running;

/// <summary>The validity rules on finished stats, without a run: what makes a run invalid (exit code 2) rather than a result.</summary>
public sealed class RunValidityTests
{
    private static List<string> Validate(long ok, double rate, RunOptions? options = null)
    {
        var stats = ScenarioStatsMergeTests.Stats("s", ok: ok, fail: 0, durationS: 1, rate: rate, latenciesNs: [100_000], codes: new() { [200] = ok });
        var invalid = new List<string>();
        ScenarioRunner.Validate(stats, options ?? new RunOptions(), invalid);
        return invalid;
    }

    [Fact]
    public void Validate_SendRateBelowTheRatio_InvalidNamingSentAndTargetRates()
    {
        var invalid = Validate(ok: 190, rate: 200);

        var reason = Assert.Single(invalid);
        Assert.Contains("generator lagged: sent 190/s", reason, StringComparison.Ordinal);
        Assert.Contains("of the target 200/s", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SendRateAtTheRatio_Valid()
    {
        Assert.Empty(Validate(ok: 198, rate: 200));
    }

    [Fact]
    public void Validate_LowerRatioOption_AcceptsWhatTheDefaultRefuses()
    {
        Assert.Empty(Validate(ok: 190, rate: 200, new RunOptions { MinSendRateRatio = 0.9 }));
        Assert.Single(Validate(ok: 170, rate: 200, new RunOptions { MinSendRateRatio = 0.9 }));
    }

    [Fact]
    public void Validate_NoRequestCompleted_Invalid()
    {
        Assert.Contains("no request completed", Validate(ok: 0, rate: 200), StringComparer.Ordinal);
    }
}
