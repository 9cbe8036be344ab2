// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.CircuitBreaker;

namespace Acgs.Core.Tests.CircuitBreaker;

public sealed class CircuitBreakerOptionsTests
{
    [Fact]
    public void Validate_Defaults_NoErrors()
    {
        Assert.Empty(new CircuitBreakerOptions().Validate());
    }

    [Fact]
    public void Validate_EverythingWrong_ReportsEveryError()
    {
        var errors = new CircuitBreakerOptions { FailMax = 0, ResetTimeout = TimeSpan.FromSeconds(-1) }.Validate();

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Contains("fail_max", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("reset_timeout", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(int.MinValue)]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(10_001)]
    public void Validate_FailMaxOutOfRange_OneError(int failMax)
    {
        var errors = new CircuitBreakerOptions { FailMax = failMax }.Validate();

        Assert.Contains("fail_max", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(0L)]
    [InlineData(36_000_000_001L)] // one hour plus one tick
    public void Validate_ResetTimeoutOutOfRange_OneError(long ticks)
    {
        var errors = new CircuitBreakerOptions { ResetTimeout = TimeSpan.FromTicks(ticks) }.Validate();

        Assert.Contains("reset_timeout", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 1L)]
    [InlineData(10_000, 36_000_000_000L)]
    public void Validate_Boundaries_NoErrors(int failMax, long ticks)
    {
        Assert.Empty(new CircuitBreakerOptions { FailMax = failMax, ResetTimeout = TimeSpan.FromTicks(ticks) }.Validate());
    }
}
