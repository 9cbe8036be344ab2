// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Perf.Convergence;

namespace Acgs.Perf.Tests.Convergence;

/// <summary>The convergence benchmarks' warm-up: at least --warmup rounds, then until the JIT settled or --warmup-max.</summary>
public sealed class WarmUpTests
{
    [Fact]
    public void WarmUpDone_FewerThanTheLeastRounds_IsFalseEvenWhenSettled()
    {
        Assert.False(WarmUp.Done(rounds: 2, least: 3, most: 60, settled: WarmUp.SettledRounds));
    }

    [Fact]
    public void WarmUpDone_LeastReachedButJitStillBusy_IsFalse()
    {
        Assert.False(WarmUp.Done(rounds: 10, least: 3, most: 60, settled: WarmUp.SettledRounds - 1));
    }

    [Fact]
    public void WarmUpDone_LeastReachedAndSettledRoundsInARow_IsTrue()
    {
        Assert.True(WarmUp.Done(rounds: 10, least: 3, most: 60, settled: WarmUp.SettledRounds));
    }

    [Fact]
    public void WarmUpDone_MostReachedWithoutSettling_IsTrue()
    {
        Assert.True(WarmUp.Done(rounds: 60, least: 3, most: 60, settled: 0));
    }

    [Fact]
    public void WarmUpDone_MostNotAboveLeast_IsExactlyTheLeastRounds()
    {
        Assert.False(WarmUp.Done(rounds: 4, least: 5, most: 0, settled: 0));
        Assert.True(WarmUp.Done(rounds: 5, least: 5, most: 0, settled: 0));
        Assert.True(WarmUp.Done(rounds: 0, least: 0, most: 0, settled: 0));
    }

    [Fact]
    public void Settled_BusyRoundBetweenQuietOnes_StartsTheCountAgain()
    {
        var settled = WarmUp.Settled(0, 0.5);
        settled = WarmUp.Settled(settled, 1.0);
        Assert.Equal(2, settled);

        settled = WarmUp.Settled(settled, WarmUp.SettledJitMs);
        Assert.Equal(0, settled);
        Assert.Equal(1, WarmUp.Settled(settled, 0));
    }
}
