// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Tracing;

/// <summary>The samplers of <c>OTEL_TRACES_SAMPLER</c> (OpenTelemetry's environment-variable specification).</summary>
internal enum TraceSampler
{
    /// <summary><c>always_on</c>.</summary>
    AlwaysOn,

    /// <summary><c>always_off</c>.</summary>
    AlwaysOff,

    /// <summary><c>traceidratio</c>: the ratio of <c>OTEL_TRACES_SAMPLER_ARG</c>.</summary>
    TraceIdRatio,

    /// <summary><c>parentbased_always_on</c> (the default): a caller's decision is kept; new traces are all sampled.</summary>
    ParentBasedAlwaysOn,

    /// <summary><c>parentbased_always_off</c>.</summary>
    ParentBasedAlwaysOff,

    /// <summary><c>parentbased_traceidratio</c>.</summary>
    ParentBasedTraceIdRatio,
}
