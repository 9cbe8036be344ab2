// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Acgs.Core;
using Acgs.Core.CircuitBreaker;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.Inbound;
using Acgs.Sidecar.HashEnforcement;
using Acgs.Sidecar.Telemetry;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Breaker = Acgs.Core.CircuitBreaker.CircuitBreaker;

namespace Acgs.Benchmarks.Sidecar;

/// <summary>
/// The sidecar's own per-request work, on the real services of a composed (not started) sidecar
/// with its embedded default config: hash enforcement through the middleware on a request that
/// carries a valid hash, the cluster breaker's success path, metric recording, the added-latency
/// recorder, the telemetry middleware around a synchronous next step, and the inbound shortcut that
/// sets the inbound route's endpoint so routing skips matching. Every one must be 0 B/op.
/// The listeners are not bound, so every port reads 0 and each request classifies as inbound.
/// </summary>
[MemoryDiagnoser]
public class SidecarHotPathBenchmarks
{
    private static readonly RequestDelegate Next = static _ => Task.CompletedTask;

    private SidecarHost? _host;
    private HashEnforcementMiddleware? _hash;
    private RequestTelemetryMiddleware? _telemetry;
    private DefaultHttpContext? _context;
    private Breaker? _breaker;
    private ClusterTelemetry? _cluster;
    private TelemetryRegistry? _registry;
    private LatencyStats? _latency;
    private RequestDelegate? _inboundShortcut;
    private DefaultHttpContext? _telemetryContext;
    private CompletingResponseFeature? _completion;

    [GlobalSetup]
    public void Setup()
    {
        var options = new SidecarOptions { ServiceName = "svc-bench", NodeId = "bench", AppPort = 8081, InboundPort = 0, OutboundPort = 0, AdminPort = 0 };
        _host = SidecarHost.CreateAsync(SidecarBootstrap.Embedded(options)).GetAwaiter().GetResult();
        var services = _host.Services;
        var ports = services.GetRequiredService<ListenerPorts>();
        _registry = services.GetRequiredService<TelemetryRegistry>();
        _latency = services.GetRequiredService<LatencyStats>();
        _hash = new HashEnforcementMiddleware(Next, ports, services.GetRequiredService<ConfigApplier>(), services.GetRequiredService<HashMetrics>(), services.GetRequiredService<Acgs.Sidecar.Hosting.ListenerLimits>());
        _telemetry = new RequestTelemetryMiddleware(Next, ports, _registry, _latency);
        _breaker = services.GetRequiredService<CircuitBreakerRegistry>().Get("bench-cluster");
        _cluster = _registry.For(ListenerKind.Inbound, "bench-cluster");
        _context = new DefaultHttpContext();
        _context.Request.Method = HttpMethods.Get;
        _context.Request.Path = "/api/items";
        _context.Request.Headers[AcgsConstants.HashHeaderName] = AcgsConstants.ConstitutionalHash;
        _context.Response.StatusCode = StatusCodes.Status200OK;
        _cluster.Record(StatusCodes.Status200OK); // the labelled child is created once, outside the measurement
        _completion = new CompletingResponseFeature { StatusCode = StatusCodes.Status200OK };
        _telemetryContext = new DefaultHttpContext();
        _telemetryContext.Features.Set<IHttpResponseFeature>(_completion);
        _telemetryContext.Request.Path = "/api/items";
        _inboundShortcut = services.GetRequiredService<InboundEndpoint>().Middleware(Next);
        _ = _inboundShortcut(_context); // DefaultHttpContext creates its endpoint feature once, outside the measurement
    }

    [GlobalCleanup]
    public void Cleanup() => _host?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Hash enforcement (enforce mode) on a request with the valid hash.</summary>
    [Benchmark(Baseline = true)]
    public Task HashCheckValid() => _hash!.InvokeAsync(_context!);

    /// <summary>The cluster breaker's success path: acquire a permit, record success.</summary>
    [Benchmark]
    public bool BreakerSuccessPath()
    {
        var permit = _breaker!.TryAcquire();
        return _breaker.Record(permit, CircuitOutcome.Success);
    }

    /// <summary><c>acgs_requests_total</c> and <c>acgs_request_duration_seconds</c> for one request.</summary>
    [Benchmark]
    public void MetricRecording()
    {
        _cluster!.Record(StatusCodes.Status200OK);
        _registry!.Duration(ListenerKind.Inbound).Observe(0.00042);
    }

    /// <summary>The own-added-latency recorder behind <c>/stats/latency</c>.</summary>
    [Benchmark]
    public void LatencyRecord() => _latency!.Record(Stopwatch.Frequency / 10_000, Stopwatch.Frequency / 2_000);

    /// <summary>
    /// The telemetry middleware (pooled timing, completion callback, counter, histogram) around a
    /// synchronous next step, with the response completion Kestrel would fire.
    /// </summary>
    [Benchmark]
    public Task TelemetryMiddleware()
    {
        var task = _telemetry!.InvokeAsync(_telemetryContext!);
        return task.IsCompletedSuccessfully ? _completion!.CompleteAsync() : task;
    }

    /// <summary>The inbound shortcut (<see cref="InboundEndpoint"/>): endpoint set, matching skipped.</summary>
    [Benchmark]
    public Task InboundShortcut()
    {
        var context = _context!;
        context.SetEndpoint(null);
        return _inboundShortcut!(context);
    }
}
