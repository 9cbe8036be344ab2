// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Config;

namespace Acgs.Sidecar.Tracing;

internal sealed partial class TraceDecision
{
    private readonly Lock _follow = new();

    /// <summary>The ratio of the active snapshot's <c>Tracing</c> policy, or null while <c>OTEL_TRACES_SAMPLER_ARG</c> applies.</summary>
    public double? PolicyRatio => Volatile.Read(ref _active).PolicyRatio;

    /// <summary>
    /// A decision that follows <paramref name="config"/>'s snapshots (when given): their <c>tracing.sampling_ratio</c>
    /// replaces the configured ratio from the moment a snapshot with it is applied until one without it is.
    /// </summary>
    public static TraceDecision Following(TracingOptions options, ConfigApplier? config)
    {
        var decision = new TraceDecision(options);
        if (config is not null)
        {
            config.Applied += _ => decision.Follow(config);
            decision.Follow(config);
        }

        return decision;
    }

    /// <summary>
    /// Uses <paramref name="ratio"/> (0 to 1) for new traces in place of the configured ratio, or the configured sampler
    /// again when null. Parent-based samplers keep following a caller's sampled flag and sample new traces at the ratio
    /// (<c>parentbased_traceidratio</c>); the others become <c>traceidratio</c> at the ratio.
    /// </summary>
    public void UsePolicyRatio(double? ratio)
    {
        if (ratio is not { } value)
        {
            Volatile.Write(ref _active, _configured);
            return;
        }

        var sampler = _configured.Sampler is TraceSampler.AlwaysOn or TraceSampler.AlwaysOff or TraceSampler.TraceIdRatio
            ? TraceSampler.TraceIdRatio
            : TraceSampler.ParentBasedTraceIdRatio;
        Volatile.Write(ref _active, new Sampling(sampler, Bound(value), value));
    }

    /// <summary>Reads the active snapshot under a lock, so that concurrent applies leave the newest one's ratio in place.</summary>
    private void Follow(ConfigApplier config)
    {
        lock (_follow)
        {
            UsePolicyRatio(config.CurrentOrNull?.Snapshot.Tracing?.SamplingRatio);
        }
    }
}
