// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Perf.Convergence;

namespace Acgs.Perf.Tests.Convergence;

public sealed class CpuListTests
{
    [Theory]
    [InlineData("0", new[] { 0 })]
    [InlineData("0-1", new[] { 0, 1 })]
    [InlineData("3,0-1,1", new[] { 0, 1, 3 })]
    [InlineData("2-2", new[] { 2 })]
    public void Parse_TasksetLists_AscendingDistinctCpus(string text, int[] cpus) => Assert.Equal(cpus, CpuList.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("1-")]
    [InlineData("-1")]
    [InlineData("3-1")]
    [InlineData("0,,1")]
    [InlineData("0-100000")]
    [InlineData(" 1")]
    public void Parse_NotACpuList_Null(string text) => Assert.Null(CpuList.Parse(text));

    [Fact]
    public void Format_Runs_WrittenAsRanges()
    {
        Assert.Equal("0-2,5,7-8", CpuList.Format([0, 1, 2, 5, 7, 8]));
        Assert.Equal("4", CpuList.Format([4]));
        Assert.Equal(string.Empty, CpuList.Format([]));
    }

    [Fact]
    public void Allowed_ThisProcess_HoldsAtLeastOneCpu()
    {
        var allowed = CpuList.Allowed();

        Assert.NotEmpty(allowed);
        Assert.Equal(allowed.Order(), allowed);
    }

    [Fact]
    public void FloorMs_SharedCpus_AllTheCpuOverAllTheCpus()
    {
        Assert.Equal(240, CpuPinning.FloorMs(310, 170, CpuPinning.None, [0, 1]));
    }

    [Fact]
    public void FloorMs_DisjointPins_TheSlowerSideOnItsOwnCpus()
    {
        var pinned = new CpuPinning([0, 1], [2, 3]);

        Assert.Equal(155, CpuPinning.FloorMs(310, 170, pinned, [0, 1, 2, 3]));
        Assert.Equal(300, CpuPinning.FloorMs(300, 170, new CpuPinning([0], [1]), [0, 1]));
    }

    [Fact]
    public void FloorMs_OnePinnedSide_NoFasterThanItsCpusNorThanAllTogether()
    {
        // Replicas on one CPU of four, watchers anywhere: the replicas' 310 ms on one CPU sets it.
        Assert.Equal(310, CpuPinning.FloorMs(310, 170, new CpuPinning([0], null), [0, 1, 2, 3]));

        // Both on the same two CPUs of four: all of it on two.
        Assert.Equal(240, CpuPinning.FloorMs(310, 170, new CpuPinning([0, 1], [0, 1]), [0, 1, 2, 3]));
    }
}
