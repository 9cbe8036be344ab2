// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Config;
using Acgs.Core.CircuitBreaker;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Sidecar.Tracing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Acgs.Sidecar.Tests.Tracing;

/// <summary>The Tracing policy's ratio from the applied snapshot replaces <c>OTEL_TRACES_SAMPLER_ARG</c>, and goes when the snapshot drops it.</summary>
public sealed class TraceDecisionPolicyTests
{
    private static ConfigApplier Applier() =>
        new(SidecarTestHost.Options(1), new NoYarpValidation(), new CircuitBreakerRegistry(), TimeProvider.System, NullLogger<ConfigApplier>.Instance);

    [Fact]
    public async Task Following_SnapshotRatioZeroThenOneThenNone_DecisionFollowsTheSnapshot()
    {
        using var applier = Applier();
        var decision = TraceDecision.Following(new TracingOptions(new Uri("http://127.0.0.1:4318"), null, TraceSampler.ParentBasedAlwaysOn, 1.0), applier);
        Assert.True(decision.Root(0)); // parentbased_always_on, no snapshot yet

        Assert.True((await applier.ApplyAsync(SidecarTestHost.Snapshot() with { Tracing = new TracingConfig { Name = "t", SamplingRatio = 0 } }, "test")).Accepted);
        var atZero = (decision.Root(0), decision.Root(long.MaxValue - 1), decision.RootsAlwaysSampled, decision.WithParent(parentSampled: true, 5), decision.PolicyRatio);

        Assert.True((await applier.ApplyAsync(SidecarTestHost.Snapshot(version: "v2") with { Tracing = new TracingConfig { Name = "t", SamplingRatio = 1 } }, "test")).Accepted);
        var atOne = (decision.Root(0), decision.Root(long.MaxValue - 1), decision.PolicyRatio);

        Assert.True((await applier.ApplyAsync(SidecarTestHost.Snapshot(version: "v3"), "test")).Accepted);

        Assert.Equal((false, false, false, true, (double?)0), atZero); // new traces not sampled; a sampled caller still followed
        Assert.Equal((true, true, (double?)1), atOne);
        Assert.True(decision.RootsAlwaysSampled); // back to OTEL_TRACES_SAMPLER
        Assert.Null(decision.PolicyRatio);
    }

    [Fact]
    public async Task Following_SnapshotAppliedBeforeCreation_RatioTakenAtOnce()
    {
        using var applier = Applier();
        Assert.True((await applier.ApplyAsync(SidecarTestHost.Snapshot() with { Tracing = new TracingConfig { Name = "t", SamplingRatio = 0 } }, "test")).Accepted);

        var decision = TraceDecision.Following(new TracingOptions(new Uri("http://127.0.0.1:4318"), null, TraceSampler.AlwaysOn, 1.0), applier);

        Assert.False(decision.Root(0));
        Assert.False(decision.WithParent(parentSampled: true, 0)); // always_on becomes traceidratio: a caller's flag does not count
    }

    [Theory]
    [InlineData(nameof(TraceSampler.ParentBasedAlwaysOff), true)]
    [InlineData(nameof(TraceSampler.ParentBasedTraceIdRatio), true)]
    [InlineData(nameof(TraceSampler.TraceIdRatio), false)]
    [InlineData(nameof(TraceSampler.AlwaysOff), false)]
    public void UsePolicyRatio_One_NewTracesSampledParentBasedKeepsCallerFlag(string sampler, bool followsCaller)
    {
        var decision = new TraceDecision(new TracingOptions(null, null, Enum.Parse<TraceSampler>(sampler), 0.0));

        decision.UsePolicyRatio(1);

        Assert.True(decision.Root(123));
        Assert.Equal(!followsCaller, decision.WithParent(parentSampled: false, 123));
    }
}
