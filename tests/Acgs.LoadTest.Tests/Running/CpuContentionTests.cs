// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.LoadTest.Running;
using Xunit;

namespace Acgs.LoadTest.Tests.Running;

public sealed class CpuContentionTests
{
    [Fact]
    public void Subtract_TwoSamples_RatiosOfTheDifferences()
    {
        var before = new CpuContention(10, 1, 2, 100);
        var after = new CpuContention(14, 2, 3, 120);

        var d = after - before;

        Assert.Equal(0.25, d.WaitToRun, 6);
        Assert.Equal(0.05, d.StealShare, 6);
    }

    [Fact]
    public void Ratios_NoSamples_Zero()
    {
        var none = new CpuContention(0, 0, 0, 0);

        Assert.Equal(0, none.WaitToRun);
        Assert.Equal(0, none.StealShare);
    }

    [Fact]
    public void Sample_ThisProcessWhileSpinning_RanAndMachineTimeAdvanced()
    {
        var before = CpuContention.Sample(Environment.ProcessId);
        var until = Environment.TickCount64 + 50;
        var spins = 0L;
        while (Environment.TickCount64 < until)
        {
            spins++;
        }

        var d = CpuContention.Sample(Environment.ProcessId) - before;

        Assert.True(spins > 0);
        Assert.True(d.RunSeconds > 0.01, $"ran {d.RunSeconds} s");
        Assert.True(d.WaitSeconds >= 0 && d.StolenSeconds >= 0);
        Assert.True(d.MachineSeconds > 0, $"machine {d.MachineSeconds} s");
    }
}
