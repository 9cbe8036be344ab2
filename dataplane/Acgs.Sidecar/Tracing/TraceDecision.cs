// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Tracing;

/// <summary>
/// The sampler of <c>OTEL_TRACES_SAMPLER</c>, applied by the sidecar itself before a span is created (the SDK then
/// records every span it is given). A parent-based sampler keeps the caller's sampled flag; the trace-id ratio
/// compares the first 8 bytes of the trace id with the ratio as OpenTelemetry's <c>TraceIdRatioBasedSampler</c> does,
/// so every process with the same ratio decides the same way for a caller's trace.
/// </summary>
internal sealed class TraceDecision
{
    private readonly TraceSampler _sampler;
    private readonly long _bound;

    /// <summary>The decision of <paramref name="options"/>.</summary>
    public TraceDecision(TracingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _sampler = options.Sampler;
        _bound = options.Ratio switch
        {
            <= 0.0 => long.MinValue,
            >= 1.0 => long.MaxValue,
            var ratio => (long)(ratio * long.MaxValue),
        };
    }

    /// <summary>Whether a request whose caller sent a valid <c>traceparent</c> (<paramref name="parentSampled"/>, <paramref name="traceIdHead"/>) gets spans.</summary>
    public bool WithParent(bool parentSampled, long traceIdHead) => _sampler switch
    {
        TraceSampler.AlwaysOn => true,
        TraceSampler.AlwaysOff => false,
        TraceSampler.TraceIdRatio => ByRatio(traceIdHead),
        _ => parentSampled,
    };

    /// <summary>Whether a new trace (no valid <c>traceparent</c> came in) whose trace id starts with <paramref name="traceIdHead"/> gets spans.</summary>
    public bool Root(long traceIdHead) => _sampler switch
    {
        TraceSampler.AlwaysOn or TraceSampler.ParentBasedAlwaysOn => true,
        TraceSampler.AlwaysOff or TraceSampler.ParentBasedAlwaysOff => false,
        _ => ByRatio(traceIdHead),
    };

    /// <summary>True for the samplers that sample every new trace (no trace id needs drawing first).</summary>
    public bool RootsAlwaysSampled => _sampler is TraceSampler.AlwaysOn or TraceSampler.ParentBasedAlwaysOn;

    private bool ByRatio(long traceIdHead) => (traceIdHead == long.MinValue ? long.MaxValue : Math.Abs(traceIdHead)) < _bound;
}
