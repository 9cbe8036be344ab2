// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Recovery;

namespace Acgs.ControlPlane.Tests.Recovery;

public sealed class RecoveryBackoffTests
{
    private static readonly RecoveryOptions Defaults = new();

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(5, 16)]
    [InlineData(6, 32)]
    [InlineData(7, 60)]
    [InlineData(100, 60)]
    public void Delay_ExponentialDefaults_InitialTimesTwoToTheNCappedAt60s(int attempt, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RecoveryBackoff.Delay(RecoveryStrategy.Exponential, attempt, Defaults));

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(5, 5)]
    [InlineData(60, 60)]
    [InlineData(61, 60)]
    public void Delay_LinearDefaults_InitialTimesNCappedAt60s(int attempt, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RecoveryBackoff.Delay(RecoveryStrategy.Linear, attempt, Defaults));

    [Fact]
    public void Delay_Immediate_AlwaysZero()
    {
        Assert.Equal(TimeSpan.Zero, RecoveryBackoff.Delay(RecoveryStrategy.Immediate, 1, Defaults));
        Assert.Equal(TimeSpan.Zero, RecoveryBackoff.Delay(RecoveryStrategy.Immediate, 9, Defaults));
    }

    [Fact]
    public void Delay_Manual_NullMeaningAnOperatorDecides() =>
        Assert.Null(RecoveryBackoff.Delay(RecoveryStrategy.Manual, 1, Defaults));

    [Fact]
    public void Delay_CustomMultiplierAndCap_Applied()
    {
        var options = new RecoveryOptions { InitialDelay = TimeSpan.FromMilliseconds(500), Multiplier = 3, MaxDelay = TimeSpan.FromSeconds(10) };

        Assert.Equal(TimeSpan.FromMilliseconds(500), RecoveryBackoff.Delay(RecoveryStrategy.Exponential, 1, options));
        Assert.Equal(TimeSpan.FromMilliseconds(4500), RecoveryBackoff.Delay(RecoveryStrategy.Exponential, 3, options));
        Assert.Equal(TimeSpan.FromSeconds(10), RecoveryBackoff.Delay(RecoveryStrategy.Exponential, 4, options));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), RecoveryBackoff.Delay(RecoveryStrategy.Linear, 3, options));
    }

    [Fact]
    public void Delay_AttemptZero_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RecoveryBackoff.Delay(RecoveryStrategy.Linear, 0, Defaults));
}
