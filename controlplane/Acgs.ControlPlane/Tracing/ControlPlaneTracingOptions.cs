// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.Settings;
using OpenTelemetry.Trace;

namespace Acgs.ControlPlane.Tracing;

/// <summary>
/// The control plane's tracing, read from OpenTelemetry's standard variables as the sidecar reads them:
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (unset: tracing off, nothing registered), <c>OTEL_TRACES_SAMPLER</c>,
/// <c>OTEL_TRACES_SAMPLER_ARG</c>, <c>OTEL_SERVICE_NAME</c> (default <c>acgs-controlplane</c>).
/// </summary>
/// <param name="Endpoint">The OTLP/HTTP base address (spans go to <c>{Endpoint}/v1/traces</c>); null when tracing is off.</param>
/// <param name="ServiceName">The resource's <c>service.name</c>.</param>
/// <param name="Sampler">The index of the sampler in <see cref="SamplerNames"/>.</param>
/// <param name="Ratio">The ratio of the ratio samplers, 0 to 1.</param>
internal sealed record ControlPlaneTracingOptions(Uri? Endpoint, string ServiceName, int Sampler, double Ratio)
{
    public const string DefaultServiceName = "acgs-controlplane";

    /// <summary>The values of <c>OTEL_TRACES_SAMPLER</c>.</summary>
    public static IReadOnlyList<string> SamplerNames { get; } =
        ["always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio"];

    /// <summary>True when spans are exported.</summary>
    public bool Enabled => Endpoint is not null;

    /// <summary>Reads the variables; every invalid value is a problem of <paramref name="settings"/>.</summary>
    public static ControlPlaneTracingOptions Read(SettingsReader settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var endpoint = settings.OptionalHttpUrl("OTEL_EXPORTER_OTLP_ENDPOINT");
        var sampler = settings.Parse("OTEL_TRACES_SAMPLER", 3, TryParseSampler, SettingsReader.Alternatives(SamplerNames));
        var ratio = settings.Number("OTEL_TRACES_SAMPLER_ARG", 1.0, 0.0, 1.0);
        return new ControlPlaneTracingOptions(endpoint, settings.OptionalText("OTEL_SERVICE_NAME") ?? DefaultServiceName, sampler, ratio);
    }

    /// <summary>The SDK's sampler for <see cref="Sampler"/> (the control plane's rate is low: the SDK samples at span start).</summary>
    public OpenTelemetry.Trace.Sampler CreateSampler() => Sampler switch
    {
        0 => new AlwaysOnSampler(),
        1 => new AlwaysOffSampler(),
        2 => new TraceIdRatioBasedSampler(Ratio),
        4 => new ParentBasedSampler(new AlwaysOffSampler()),
        5 => new ParentBasedSampler(new TraceIdRatioBasedSampler(Ratio)),
        _ => new ParentBasedSampler(new AlwaysOnSampler()),
    };

    private static bool TryParseSampler(string text, out int sampler)
    {
        for (var i = 0; i < SamplerNames.Count; i++)
        {
            if (SamplerNames[i].Equals(text, StringComparison.OrdinalIgnoreCase))
            {
                sampler = i;
                return true;
            }
        }

        sampler = -1;
        return false;
    }
}
