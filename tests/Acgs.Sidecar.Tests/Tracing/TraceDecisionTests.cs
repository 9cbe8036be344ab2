// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Acgs.Sidecar.Tracing;

namespace Acgs.Sidecar.Tests.Tracing;

public sealed class TraceDecisionTests
{
    [Theory]
    [InlineData(nameof(TraceSampler.ParentBasedAlwaysOn), true, true)]
    [InlineData(nameof(TraceSampler.ParentBasedAlwaysOn), false, false)]
    [InlineData(nameof(TraceSampler.ParentBasedAlwaysOff), true, true)]
    [InlineData(nameof(TraceSampler.ParentBasedTraceIdRatio), false, false)]
    [InlineData(nameof(TraceSampler.ParentBasedTraceIdRatio), true, true)]
    [InlineData(nameof(TraceSampler.AlwaysOn), false, true)]
    [InlineData(nameof(TraceSampler.AlwaysOff), true, false)]
    public void WithParent_Sampler_FollowsParentOrOverrides(string sampler, bool parentSampled, bool expected)
    {
        var decision = new TraceDecision(new TracingOptions(null, null, Enum.Parse<TraceSampler>(sampler), 0.0));

        Assert.Equal(expected, decision.WithParent(parentSampled, traceIdHead: 1));
    }

    [Theory]
    [InlineData(nameof(TraceSampler.ParentBasedAlwaysOn), true)]
    [InlineData(nameof(TraceSampler.AlwaysOn), true)]
    [InlineData(nameof(TraceSampler.ParentBasedAlwaysOff), false)]
    [InlineData(nameof(TraceSampler.AlwaysOff), false)]
    public void Root_FixedSampler_FixedAnswer(string sampler, bool expected)
    {
        var decision = new TraceDecision(new TracingOptions(null, null, Enum.Parse<TraceSampler>(sampler), 0.5));

        Assert.Equal(expected, decision.Root(0));
        Assert.Equal(expected, decision.Root(long.MinValue));
        Assert.Equal(expected, decision.RootsAlwaysSampled);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.01)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public void Root_TraceIdRatio_SamplesThatShareOfRandomTraceIds(double ratio)
    {
        var decision = new TraceDecision(new TracingOptions(null, null, TraceSampler.ParentBasedTraceIdRatio, ratio));
        const int Draws = 200_000;

        var sampled = 0;
        for (var i = 0; i < Draws; i++)
        {
            sampled += decision.Root(TraceParent.Head(ActivityTraceId.CreateRandom())) ? 1 : 0;
        }

        // Binomial: 5 standard deviations around the ratio (at 1 %: 1.1 %), exact at 0 and 1.
        var tolerance = 5 * Math.Sqrt(ratio * (1 - ratio) / Draws);
        Assert.InRange((double)sampled / Draws, ratio - tolerance, ratio + tolerance);
    }

    [Fact]
    public void WithParent_TraceIdRatio_SameTraceIdSameDecisionAsOpenTelemetry()
    {
        // OpenTelemetry's TraceIdRatioBasedSampler: |first 8 bytes as big-endian long| < ratio * long.MaxValue.
        var decision = new TraceDecision(new TracingOptions(null, null, TraceSampler.TraceIdRatio, 0.25));
        var bound = (long)(0.25 * long.MaxValue);

        Assert.True(decision.WithParent(parentSampled: false, bound - 1));
        Assert.True(decision.WithParent(parentSampled: false, -(bound - 1)));
        Assert.False(decision.WithParent(parentSampled: true, bound));
        Assert.False(decision.WithParent(parentSampled: true, long.MinValue));
    }
}
