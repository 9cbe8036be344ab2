// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.Settings;

namespace Acgs.Sidecar.Tracing;

/// <summary>
/// Tracing settings, read from OpenTelemetry's standard variables: <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (unset: tracing
/// off, nothing registered), <c>OTEL_TRACES_SAMPLER</c>, <c>OTEL_TRACES_SAMPLER_ARG</c>, <c>OTEL_SERVICE_NAME</c>.
/// </summary>
/// <param name="Endpoint">The OTLP/HTTP base address (spans go to <c>{Endpoint}/v1/traces</c>); null when tracing is off.</param>
/// <param name="ServiceName">The resource's <c>service.name</c> (default: the sidecar's service name).</param>
/// <param name="Sampler">The sampler.</param>
/// <param name="Ratio">The ratio of the ratio samplers, 0 to 1.</param>
internal sealed record TracingOptions(Uri? Endpoint, string? ServiceName, TraceSampler Sampler, double Ratio)
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string SamplerVariable = "OTEL_TRACES_SAMPLER";
    public const string SamplerArgVariable = "OTEL_TRACES_SAMPLER_ARG";
    public const string ServiceNameVariable = "OTEL_SERVICE_NAME";

    private static readonly string[] SamplerNames =
        ["always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio"];

    /// <summary>Tracing off.</summary>
    public static TracingOptions Off { get; } = new(null, null, TraceSampler.ParentBasedAlwaysOn, 1.0);

    /// <summary>True when spans are exported.</summary>
    public bool Enabled => Endpoint is not null;

    /// <summary>Reads the variables; every invalid value is a problem of <paramref name="settings"/>.</summary>
    public static TracingOptions Read(SettingsReader settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var endpoint = settings.OptionalHttpUrl(EndpointVariable);
        var sampler = settings.Parse(SamplerVariable, TraceSampler.ParentBasedAlwaysOn, TryParseSampler, SettingsReader.Alternatives(SamplerNames));
        var ratio = settings.Number(SamplerArgVariable, 1.0, 0.0, 1.0);
        return new TracingOptions(endpoint, settings.OptionalText(ServiceNameVariable), sampler, ratio);
    }

    private static bool TryParseSampler(string text, out TraceSampler sampler)
    {
        for (var i = 0; i < SamplerNames.Length; i++)
        {
            if (SamplerNames[i].Equals(text, StringComparison.OrdinalIgnoreCase))
            {
                sampler = (TraceSampler)i;
                return true;
            }
        }

        sampler = default;
        return false;
    }
}
