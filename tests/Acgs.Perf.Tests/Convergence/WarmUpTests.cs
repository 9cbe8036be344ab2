// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Perf.Convergence.Multi;

namespace Acgs.Perf.Tests.Convergence;

/// <summary>The multi-process benchmark's warm-up: at least --warmup rounds, then until the JIT settled or --warmup-max.</summary>
public sealed class WarmUpTests
{
    [Fact]
    public void WarmUpDone_FewerThanTheLeastRounds_IsFalseEvenWhenSettled()
    {
        Assert.False(MultiBenchmark.WarmUpDone(rounds: 2, least: 3, most: 60, settled: MultiBenchmark.SettledRounds));
    }

    [Fact]
    public void WarmUpDone_LeastReachedButJitStillBusy_IsFalse()
    {
        Assert.False(MultiBenchmark.WarmUpDone(rounds: 10, least: 3, most: 60, settled: MultiBenchmark.SettledRounds - 1));
    }

    [Fact]
    public void WarmUpDone_LeastReachedAndSettledRoundsInARow_IsTrue()
    {
        Assert.True(MultiBenchmark.WarmUpDone(rounds: 10, least: 3, most: 60, settled: MultiBenchmark.SettledRounds));
    }

    [Fact]
    public void WarmUpDone_MostReachedWithoutSettling_IsTrue()
    {
        Assert.True(MultiBenchmark.WarmUpDone(rounds: 60, least: 3, most: 60, settled: 0));
    }

    [Fact]
    public void WarmUpDone_MostNotAboveLeast_IsExactlyTheLeastRounds()
    {
        Assert.False(MultiBenchmark.WarmUpDone(rounds: 4, least: 5, most: 0, settled: 0));
        Assert.True(MultiBenchmark.WarmUpDone(rounds: 5, least: 5, most: 0, settled: 0));
        Assert.True(MultiBenchmark.WarmUpDone(rounds: 0, least: 0, most: 0, settled: 0));
    }

    [Fact]
    public void Settled_BusyRoundBetweenQuietOnes_StartsTheCountAgain()
    {
        var settled = MultiBenchmark.Settled(0, 0.5);
        settled = MultiBenchmark.Settled(settled, 1.0);
        Assert.Equal(2, settled);

        settled = MultiBenchmark.Settled(settled, MultiBenchmark.SettledJitMs);
        Assert.Equal(0, settled);
        Assert.Equal(1, MultiBenchmark.Settled(settled, 0));
    }
}
