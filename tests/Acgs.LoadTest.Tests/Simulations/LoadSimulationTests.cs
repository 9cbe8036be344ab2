// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.LoadTest.Simulations;
using Xunit;

namespace Acgs.LoadTest.Tests.Simulations;

public sealed class LoadSimulationTests
{
    [Fact]
    public void IntendedOffsetSeconds_Inject_IsUniformlySpaced()
    {
        var sim = LoadSimulation.Inject(4000, TimeSpan.FromSeconds(2));

        Assert.Equal(8000, sim.IntendedCount);
        Assert.Equal(0.00025, sim.IntendedOffsetSeconds(1), 9);
        Assert.Equal(1.99975, sim.IntendedOffsetSeconds(7999), 9);
    }

    [Fact]
    public void IntendedOffsetSeconds_RampingInject_MatchesCumulativeArrivals()
    {
        var sim = LoadSimulation.RampingInject(100, 300, TimeSpan.FromSeconds(10));

        Assert.Equal(2000, sim.IntendedCount);
        // N(t) = 100 t + 10 t^2: N(5) = 750, N(10) = 2000.
        Assert.Equal(5.0, sim.IntendedOffsetSeconds(750), 6);
        Assert.Equal(10.0, sim.IntendedOffsetSeconds(2000), 6);
    }
}
