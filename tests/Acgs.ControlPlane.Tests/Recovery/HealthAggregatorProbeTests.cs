// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Health;
using Acgs.ControlPlane.HealthAggregation;
using Acgs.ControlPlane.Recovery;
using Microsoft.Extensions.Time.Testing;

namespace Acgs.ControlPlane.Tests.Recovery;

public sealed class HealthAggregatorProbeTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly HealthAggregator _aggregator;
    private readonly HealthAggregatorProbe _probe;

    public HealthAggregatorProbeTests()
    {
        _aggregator = new HealthAggregator(TimeSpan.FromSeconds(5), _time);
        _probe = new HealthAggregatorProbe(_aggregator);
    }

    private void Report(string node, params string[] states) => _aggregator.Report("orders", node,
        new HealthReport([.. states.Select((s, i) => new ClusterHealth("c" + i, s))], null, null));

    [Fact]
    public async Task ProbeAsync_NeverReported_NotHealthy()
    {
        var result = await _probe.ProbeAsync("orders", CancellationToken.None);

        Assert.False(result.Healthy);
        Assert.Contains("no health reports", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_ScoreBelowHealthy_NotHealthy()
    {
        Report("n1", "closed", "half_open", "open");

        var result = await _probe.ProbeAsync("orders", CancellationToken.None);

        Assert.False(result.Healthy);
        Assert.Contains("score 0.5 (degraded", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_ScoreAtHealthyThreshold_Healthy()
    {
        Report("n1", "closed", "closed", "closed", "closed", "closed", "closed", "closed", "open", "open", "open");

        var result = await _probe.ProbeAsync("orders", CancellationToken.None);

        Assert.True(result.Healthy, result.Detail);
    }

    [Fact]
    public async Task ProbeAsync_OneNodeSilent_NotHealthyEvenIfScoreIs()
    {
        Report("n1", "closed");
        Report("n2", "closed");
        for (var i = 0; i < 4; i++)
        {
            Report("n3", "closed");
            Report("n2", "closed");
            Report("n4", "closed");
            _time.Advance(TimeSpan.FromSeconds(5));
        }

        var result = await _probe.ProbeAsync("orders", CancellationToken.None);

        Assert.False(result.Healthy);
        Assert.Contains("1 silent", result.Detail, StringComparison.Ordinal);
    }
}
