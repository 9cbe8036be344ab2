// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core;
using Acgs.Core.Logging;
using Acgs.Sidecar.AccessLog;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.Telemetry;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Acgs.Benchmarks.AccessLog;

/// <summary>
/// What the access log costs on the request's path: the middleware (pooled state, completion callback) and, when
/// the request is sampled, the hand-off of its entry to the writer's queue (the line is formatted on the writer's
/// thread, which writes to <see cref="Stream.Null"/> here). <c>0</c>: on, sampled out (must be 0 B/op);
/// <c>1</c>: every request queued (must be 0 B/op: an entry is a struct of references the request already holds).
/// </summary>
[MemoryDiagnoser]
public class AccessLogBenchmarks
{
    private static readonly RequestDelegate Next = static _ => Task.CompletedTask;

    private SidecarHost? _host;
    private AccessLogWriter? _writer;
    private RequestDelegate? _pipeline;
    private DefaultHttpContext? _context;
    private CompletingResponseFeature? _response;

    /// <summary>ACGS_ACCESS_LOG_SAMPLE.</summary>
    [Params("0", "1")]
    public string Sample { get; set; } = "0";

    [GlobalSetup]
    public void Setup()
    {
        var options = new SidecarOptions { ServiceName = "svc-bench", NodeId = "bench", AppPort = 8081, InboundPort = 0, OutboundPort = 0, AdminPort = 0 };
        _host = SidecarHost.CreateAsync(SidecarBootstrap.Embedded(options)).GetAwaiter().GetResult();
        var services = _host.Services;
        var log = new AccessLogOptions("stdout", Sample == "1" ? 1.0 : 0.0, LogFormat.Json);
        _writer = new AccessLogWriter(log, new AccessLogMetrics(services.GetRequiredService<SidecarMetrics>()), static () => Stream.Null, AccessLogOptions.QueueCapacity);
        _writer.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        _pipeline = new AccessLogMiddleware(Next, services.GetRequiredService<ListenerPorts>(), _writer, log, TimeProvider.System).InvokeAsync;
        _context = new DefaultHttpContext();
        _response = new CompletingResponseFeature();
        _context.Features.Set<IHttpResponseFeature>(_response);
        _context.Request.Method = HttpMethods.Get;
        _context.Request.Path = "/api/items";
        _context.Request.Headers[AcgsConstants.HashHeaderName] = AcgsConstants.ConstitutionalHash;
        _context.Response.StatusCode = StatusCodes.Status200OK;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _writer?.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        _host?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>One request through the access-log middleware, its response completed.</summary>
    [Benchmark]
    public Task Request()
    {
        _pipeline!(_context!);
        return _response!.CompleteAsync();
    }
}
