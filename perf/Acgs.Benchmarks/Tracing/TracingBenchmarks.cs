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
/// <c>unsampled</c>: a caller's unsampled <c>traceparent</c> under the parent-based sampler (decided from the header,
/// no span: must be 0 B/op); <c>new-unsampled</c>: no <c>traceparent</c>, a 1 % ratio that says no (the new
/// <c>traceparent</c> with flags <c>00</c> is the only allocation).
/// </summary>
[MemoryDiagnoser]
public class TracingBenchmarks
{
    private static readonly RequestDelegate Next = static _ => Task.CompletedTask;

    private SidecarHost? _host;
    private RequestDelegate? _pipeline;
    private DefaultHttpContext? _context;
    private string? _traceParent;
    private static ActivityListener? listener; // static: one per benchmark process, disposed in cleanup

    /// <summary>off, sampled, unsampled or new-unsampled.</summary>
    [Params("off", "sampled", "unsampled", "new-unsampled")]
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
            listener = new ActivityListener
            {
                ShouldListenTo = static source => source.Name == MeshTracing.SourceName,
                Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            };
            ActivitySource.AddActivityListener(listener);
            var tracing = new TracingOptions(new Uri("http://127.0.0.1:4318"), null, TraceSampler.ParentBasedTraceIdRatio, 0.01);
            _pipeline = new TracingMiddleware(_pipeline, ports, options, tracing).InvokeAsync;
        }

        _context = new DefaultHttpContext();
        _context.Request.Method = HttpMethods.Get;
        _context.Request.Path = "/api/items";
        _context.Request.Headers[AcgsConstants.HashHeaderName] = AcgsConstants.ConstitutionalHash;
        _traceParent = Tracing switch
        {
            "new-unsampled" => null,
            "unsampled" => "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00",
            _ => "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        };
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
    public Task Request()
    {
        _context!.Request.Headers.TraceParent = _traceParent; // a new unsampled trace writes its own: reset it
        return _pipeline!(_context);
    }
}
