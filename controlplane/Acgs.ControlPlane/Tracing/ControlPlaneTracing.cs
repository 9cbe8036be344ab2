// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Acgs.ControlPlane.Tracing;

/// <summary>
/// Registers the control plane's tracing: with an endpoint, the OpenTelemetry SDK listening to <see cref="SourceName"/>
/// and exporting over OTLP/HTTP protobuf, and the request spans in the pipeline (<see cref="RequestSpans"/>); without,
/// nothing but the options.
/// </summary>
internal static class ControlPlaneTracing
{
    /// <summary>The control plane's <see cref="ActivitySource"/> name (instrumentation scope).</summary>
    public const string SourceName = "Acgs.ControlPlane";

    /// <summary>The control plane's spans.</summary>
    public static ActivitySource Source { get; } = new(SourceName);

    /// <summary>Registers <paramref name="options"/> and, when tracing is on, the tracer provider.</summary>
    public static IServiceCollection AddAcgsTracing(this IServiceCollection services, ControlPlaneTracingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        if (options.Endpoint is not { } endpoint)
        {
            return services;
        }

        var traces = new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/v1/traces");
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(options.ServiceName))
            .WithTracing(tracing => tracing
                .AddSource(SourceName)
                .SetSampler(options.CreateSampler())
                .AddOtlpExporter(otlp =>
                {
                    otlp.Endpoint = traces;
                    otlp.Protocol = OtlpExportProtocol.HttpProtobuf;
                }));
        return services;
    }

    /// <summary>Adds the request spans when tracing is on; while it is off the pipeline holds nothing of tracing.</summary>
    public static void UseIfEnabled(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetService<ControlPlaneTracingOptions>() is { Enabled: true })
        {
            app.Use(RequestSpans.InvokeAsync);
        }
    }
}
