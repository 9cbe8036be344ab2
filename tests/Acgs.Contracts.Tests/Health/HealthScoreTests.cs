// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Health;
using Acgs.Core.CircuitBreaker;
using Xunit;

namespace Acgs.Contracts.Tests.Health;

public sealed class HealthScoreTests
{
    [Fact]
    public void Compute_NoBreakers_IsOneAndHealthy()
    {
        Assert.Equal(1.0, HealthScore.Compute(0, 0, 0));
        Assert.Equal(1.0, HealthScore.Compute(ReadOnlySpan<CircuitState>.Empty));
        Assert.Equal(HealthStatus.Healthy, HealthScore.Classify(HealthScore.Compute(0, 0, 0)));
    }

    [Theory]
    [InlineData(7, 0, 3, 0.7, HealthStatus.Healthy)]
    [InlineData(6, 2, 2, 0.7, HealthStatus.Healthy)]
    [InlineData(69, 0, 31, 0.69, HealthStatus.Degraded)]
    [InlineData(1, 0, 1, 0.5, HealthStatus.Degraded)]
    [InlineData(0, 2, 0, 0.5, HealthStatus.Degraded)]
    [InlineData(49, 0, 51, 0.49, HealthStatus.Critical)]
    [InlineData(0, 1, 1, 0.25, HealthStatus.Critical)]
    [InlineData(0, 0, 4, 0.0, HealthStatus.Critical)]
    [InlineData(4, 0, 0, 1.0, HealthStatus.Healthy)]
    public void Compute_Counts_ScoreAndStatus(int closed, int halfOpen, int open, double score, HealthStatus status)
    {
        var actual = HealthScore.Compute(closed, halfOpen, open);

        Assert.Equal(score, actual, 12);
        Assert.Equal(status, HealthScore.Classify(actual));
    }

    [Theory]
    [InlineData(1.0, HealthStatus.Healthy)]
    [InlineData(0.7, HealthStatus.Healthy)]
    [InlineData(0.6999999999, HealthStatus.Degraded)]
    [InlineData(0.5, HealthStatus.Degraded)]
    [InlineData(0.4999999999, HealthStatus.Critical)]
    [InlineData(0.0, HealthStatus.Critical)]
    public void Classify_Boundaries(double score, HealthStatus status)
    {
        Assert.Equal(status, HealthScore.Classify(score));
    }

    [Fact]
    public void Compute_States_AgreeWithCounts()
    {
        CircuitState[] states = [CircuitState.Closed, CircuitState.HalfOpen, CircuitState.Open, CircuitState.Closed];

        Assert.Equal(0.625, HealthScore.Compute(states));
        Assert.Equal(HealthScore.Compute(2, 1, 1), HealthScore.Compute(states));
        Assert.Equal(HealthStatus.Degraded, HealthScore.Classify(HealthScore.Compute(states)));
    }

    [Theory]
    [InlineData(HealthStatus.Healthy, "healthy")]
    [InlineData(HealthStatus.Degraded, "degraded")]
    [InlineData(HealthStatus.Critical, "critical")]
    public void Name_EachStatus_IsItsJsonName(HealthStatus status, string name)
    {
        Assert.Equal(name, HealthScore.Name(status));
        Assert.Equal("\"" + name + "\"", System.Text.Json.JsonSerializer.Serialize(status));
    }

    [Fact]
    public void Compute_NegativeCount_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HealthScore.Compute(-1, 0, 0));
    }
}
