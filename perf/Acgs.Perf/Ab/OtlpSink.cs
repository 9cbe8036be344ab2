// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Acgs.Perf.Ab;

/// <summary>A local OTLP/HTTP trace receiver for the ab mode: Kestrel on one loopback port per variant;
/// <c>POST /v1/traces</c> is read to the end, counted per port and answered 200 with an empty
/// <c>ExportTraceServiceResponse</c> (zero protobuf bytes); anything else is 404. It shows that the
/// traced variants really exported (requests and bytes received), not that they sent to a closed port.</summary>
internal sealed class OtlpSink : IDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<int, (long Requests, long Bytes)> _received = new();

    private OtlpSink(WebApplication app, IReadOnlyList<int> ports)
    {
        _app = app;
        Ports = ports;
    }

    /// <summary>The ports listened on, one per variant that asked for a sink.</summary>
    public IReadOnlyList<int> Ports { get; }

    /// <summary>Starts the receiver on <paramref name="ports"/>.</summary>
    public static async Task<OtlpSink> StartAsync(IReadOnlyList<int> ports, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ports);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.AddServerHeader = false;
            o.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
            foreach (var port in ports)
            {
                o.Listen(IPAddress.Loopback, port);
            }
        });
        var app = builder.Build();
        var sink = new OtlpSink(app, ports);
        app.Run(sink.HandleAsync);
        await app.StartAsync(ct).ConfigureAwait(false);
        return sink;
    }

    /// <summary>The base address of the sink on <paramref name="port"/> (spans go to its <c>/v1/traces</c>).</summary>
    public static Uri BaseAddress(int port) => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));

    /// <summary>Export requests and body bytes received on <paramref name="port"/> so far.</summary>
    public (long Requests, long Bytes) Received(int port) => _received.TryGetValue(port, out var r) ? r : default;

    public void Dispose()
    {
        _app.StopAsync().GetAwaiter().GetResult();
        ((IDisposable)_app).Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || context.Request.Path != "/v1/traces")
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var buffer = new byte[16 * 1024];
        long bytes = 0;
        int n;
        while ((n = await context.Request.Body.ReadAsync(buffer, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            bytes += n;
        }

        _received.AddOrUpdate(context.Connection.LocalPort, (1, bytes), (_, r) => (r.Requests + 1, r.Bytes + bytes));
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/x-protobuf";
        context.Response.ContentLength = 0;
    }
}
