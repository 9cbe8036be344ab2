// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.CircuitBreaker;
using Xunit;

namespace Acgs.Core.Tests.CircuitBreaker;

public sealed class CircuitStateNamesTests
{
    [Theory]
    [InlineData(CircuitState.Closed, "closed")]
    [InlineData(CircuitState.HalfOpen, "half_open")]
    [InlineData(CircuitState.Open, "open")]
    public void OfAndTryParse_EachState_RoundTrip(CircuitState state, string name)
    {
        Assert.Equal(name, CircuitStateNames.Of(state));
        Assert.True(CircuitStateNames.TryParse(name, out var parsed));
        Assert.Equal(state, parsed);
    }

    [Theory]
    [InlineData("Closed")]
    [InlineData("halfopen")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_OtherText_False(string? name)
    {
        Assert.False(CircuitStateNames.TryParse(name, out _));
    }

    [Fact]
    public void Of_UndefinedValue_IsOpen()
    {
        Assert.Equal("open", CircuitStateNames.Of((CircuitState)7));
    }
}
