// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Perf.Lab;

namespace Acgs.Perf.Tests.Lab;

public sealed class ProcFsTests
{
    [Fact]
    public void StealSeconds_ExistingCpu_ReadsNonNegativeSecondsThatNeverDecrease()
    {
        var first = ProcFs.StealSeconds(0);
        var second = ProcFs.StealSeconds(0);

        Assert.NotNull(first);
        Assert.True(first >= 0);
        Assert.True(second >= first);
    }

    [Fact]
    public void StealSeconds_CpuNotPresent_Null()
    {
        Assert.Null(ProcFs.StealSeconds(Environment.ProcessorCount + 64));
    }
}
