// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Tracing;

/// <summary>
/// The sampler of <c>OTEL_TRACES_SAMPLER</c>, applied by the sidecar itself before a span is created (the SDK then
/// records every span it is given). A parent-based sampler keeps the caller's sampled flag; the trace-id ratio
/// compares the first 8 bytes of the trace id with the ratio as OpenTelemetry's <c>TraceIdRatioBasedSampler</c> does,
/// so every process with the same ratio decides the same way for a caller's trace. A <c>Tracing</c> policy's ratio
/// replaces the configured one while a snapshot carries it (<see cref="UsePolicyRatio"/>): the sampler and its bound
/// are one immutable object swapped as a whole, so a decision reads one reference and allocates nothing.
/// </summary>
internal sealed partial class TraceDecision
{
    private readonly Sampling _configured;
    private Sampling _active;

    /// <summary>The decision of <paramref name="options"/>.</summary>
    public TraceDecision(TracingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _configured = new Sampling(options.Sampler, Bound(options.Ratio), null);
        _active = _configured;
    }

    /// <summary>Whether a request whose caller sent a valid <c>traceparent</c> (<paramref name="parentSampled"/>, <paramref name="traceIdHead"/>) gets spans.</summary>
    public bool WithParent(bool parentSampled, long traceIdHead)
    {
        var active = Volatile.Read(ref _active);
        return active.Sampler switch
        {
            TraceSampler.AlwaysOn => true,
            TraceSampler.AlwaysOff => false,
            TraceSampler.TraceIdRatio => ByRatio(traceIdHead, active.Bound),
            _ => parentSampled,
        };
    }

    /// <summary>Whether a new trace (no valid <c>traceparent</c> came in) whose trace id starts with <paramref name="traceIdHead"/> gets spans.</summary>
    public bool Root(long traceIdHead)
    {
        var active = Volatile.Read(ref _active);
        return active.Sampler switch
        {
            TraceSampler.AlwaysOn or TraceSampler.ParentBasedAlwaysOn => true,
            TraceSampler.AlwaysOff or TraceSampler.ParentBasedAlwaysOff => false,
            _ => ByRatio(traceIdHead, active.Bound),
        };
    }

    /// <summary>True for the samplers that sample every new trace (no trace id needs drawing first).</summary>
    public bool RootsAlwaysSampled => Volatile.Read(ref _active).Sampler is TraceSampler.AlwaysOn or TraceSampler.ParentBasedAlwaysOn;

    private static long Bound(double ratio) => ratio switch
    {
        <= 0.0 => long.MinValue,
        >= 1.0 => long.MaxValue,
        _ => (long)(ratio * long.MaxValue),
    };

    private static bool ByRatio(long traceIdHead, long bound) => (traceIdHead == long.MinValue ? long.MaxValue : Math.Abs(traceIdHead)) < bound;

    /// <summary>A sampler with its ratio's bound; <paramref name="PolicyRatio"/> is the policy's ratio when it came from one.</summary>
    private sealed record Sampling(TraceSampler Sampler, long Bound, double? PolicyRatio);
}
