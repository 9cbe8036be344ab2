// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Acgs.Core;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.HashEnforcement;
using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.Telemetry;
using Acgs.Sidecar.Tracing;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Acgs.Benchmarks.Tracing;

/// <summary>
/// What tracing costs per request, on the real services of a composed (not started) sidecar: hash enforcement (which
/// marks the span with the check's outcome) behind the tracing middleware, as the pipeline is built.
/// <c>off</c>: tracing off, so the pipeline holds no tracing middleware and the mark finds no current span (must be
/// 0 B/op); <c>sampled</c>: a listener records every span (span creation, attributes, the mark; no export);
/// <c>unsampled</c>: a listener that only propagates (a parent-based sampler's answer to an unsampled caller).
/// </summary>
[MemoryDiagnoser]
public class TracingBenchmarks
{
    private static readonly RequestDelegate Next = static _ => Task.CompletedTask;

    private SidecarHost? _host;
    private RequestDelegate? _pipeline;
    private DefaultHttpContext? _context;
    private static ActivityListener? listener; // static: one per benchmark process, disposed in cleanup

    /// <summary>off, sampled or unsampled.</summary>
    [Params("off", "sampled", "unsampled")]
    public string Tracing { get; set; } = "off";

    [GlobalSetup]
    public void Setup()
    {
        var options = new SidecarOptions { ServiceName = "svc-bench", NodeId = "bench", AppPort = 8081, InboundPort = 0, OutboundPort = 0, AdminPort = 0 };
        _host = SidecarHost.CreateAsync(SidecarBootstrap.Embedded(options)).GetAwaiter().GetResult();
        var services = _host.Services;
        var ports = services.GetRequiredService<ListenerPorts>();
        var hash = new HashEnforcementMiddleware(Next, ports, services.GetRequiredService<ConfigApplier>(), services.GetRequiredService<HashMetrics>(), services.GetRequiredService<ListenerLimits>());
        _pipeline = hash.InvokeAsync;
        if (Tracing != "off")
        {
            var result = Tracing == "sampled" ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.PropagationData;
            listener = new ActivityListener
            {
                ShouldListenTo = static source => source.Name == MeshTracing.SourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => result,
            };
            ActivitySource.AddActivityListener(listener);
            _pipeline = new TracingMiddleware(_pipeline, ports, options).InvokeAsync;
        }

        _context = new DefaultHttpContext();
        _context.Request.Method = HttpMethods.Get;
        _context.Request.Path = "/api/items";
        _context.Request.Headers[AcgsConstants.HashHeaderName] = AcgsConstants.ConstitutionalHash;
        _context.Request.Headers.TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        _context.Response.StatusCode = StatusCodes.Status200OK;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        listener?.Dispose();
        listener = null;
        _host?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>One request through the tracing middleware (when on) and hash enforcement.</summary>
    [Benchmark]
    public Task Request() => _pipeline!(_context!);
}
