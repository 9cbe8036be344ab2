// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Acgs.Sidecar.Tracing;

/// <summary>Registers tracing: with an endpoint, the OpenTelemetry SDK listening to the sidecar's source and exporting over OTLP/HTTP protobuf; without, nothing but the options.</summary>
internal static class TracingServiceCollectionExtensions
{
    /// <summary>Registers <paramref name="options"/> and, when tracing is on, the tracer provider.</summary>
    public static IServiceCollection AddAcgsTracing(this IServiceCollection services, TracingOptions options, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        if (options.Endpoint is not { } endpoint)
        {
            return services;
        }

        services.AddSingleton(sp => TraceDecision.Following(options, sp.GetService<Config.ConfigApplier>())); // the Tracing policy's ratio, else OTEL_TRACES_SAMPLER_ARG
        var traces = new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/v1/traces");
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(options.ServiceName ?? serviceName))
            .WithTracing(tracing => tracing
                .AddSource(MeshTracing.SourceName)
                .SetSampler(new AlwaysOnSampler()) // TraceDecision samples before a span is created; every span started is kept
                .AddOtlpExporter(otlp =>
                {
                    otlp.Endpoint = traces;
                    otlp.Protocol = OtlpExportProtocol.HttpProtobuf;
                }));
        return services;
    }
}
