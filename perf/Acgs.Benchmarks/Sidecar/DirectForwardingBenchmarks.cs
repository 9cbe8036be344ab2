// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Acgs.Sidecar.Forwarding.Direct;
using Acgs.Sidecar.Tracing;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;

namespace Acgs.Benchmarks.Sidecar;

/// <summary>
/// The per-request work of the sidecar's own HTTP/1.1 path (<c>Forwarding/Direct</c>) that needs no socket traffic:
/// writing the upstream request head from the request's headers (<see cref="Http1RequestWriter"/>, X-Forwarded-* on)
/// and parsing a typical upstream response head (<see cref="Http1Response"/>). The parse must be 0 B/op; the head
/// writer allocates only the header dictionary's boxed enumerator (Kestrel's collection boxes its enumerator the same
/// way when enumerated through <see cref="IHeaderDictionary"/>). A traced request (tracing on) adds its client span's
/// <c>traceparent</c>/<c>tracestate</c> to the head without allocating (<c>WriteTracedRequestHead</c>); the client span
/// itself (<c>ClientSpan</c>: the activity, its tags and <c>url.full</c>, as YARP's path makes it) is what it costs.
/// </summary>
[MemoryDiagnoser]
public class DirectForwardingBenchmarks : IDisposable
{
    private static readonly byte[] ResponseHead = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\nDate: Mon, 07 Dec 2026 12:00:00 GMT\r\nServer: Kestrel\r\n\r\nok");

    private readonly DefaultHttpContext _context = new();
    private byte[] _buffer = [];
    private DirectConnection? _connection;
    private DirectPool? _pool;
    private ActivityListener? _listener;
    private Activity? _parent;

    [GlobalSetup]
    public void Setup()
    {
        var request = _context.Request;
        request.Method = "GET";
        request.Scheme = "http";
        request.Protocol = "HTTP/1.1";
        request.Host = new HostString("127.0.0.1:15006");
        request.Path = "/api/orders/42";
        request.QueryString = new QueryString("?expand=lines");
        request.Headers["Accept"] = "*/*";
        request.Headers["User-Agent"] = "wrk";
        request.Headers["X-Constitutional-Hash"] = "cdd01ef066bc6cf2";
        _context.Connection.RemoteIpAddress = IPAddress.Loopback;
        _buffer = ArrayPool<byte>.Shared.Rent(2048);
        _connection = new DirectConnection(new Socket(SocketType.Stream, ProtocolType.Tcp));
        _pool = new DirectPool(new Uri("http://127.0.0.1:8080/"), TimeProvider.System, TimeSpan.FromSeconds(30));
        _listener = new ActivityListener
        {
            ShouldListenTo = static source => source.Name == MeshTracing.SourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_listener);
        var context = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, "vendor=opaque", isRemote: true);
        _parent = MeshTracing.Source.StartActivity("inbound", ActivityKind.Server, context);
        Activity.Current = null;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _connection?.Dispose();
        _connection = null;
        _parent?.Dispose();
        _listener?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public int WriteRequestHead()
    {
        Http1RequestWriter.TryWrite(_context, string.Empty, xForwarded: true, traceContext: false, ref _buffer, out var length);
        return length;
    }

    [Benchmark]
    public int WriteTracedRequestHead()
    {
        Http1RequestWriter.TryWrite(_context, string.Empty, xForwarded: true, traceContext: true, ref _buffer, out var length);
        Http1RequestWriter.TryReserveTraceContext(_parent!.TraceStateString, ref _buffer, length);
        return Http1RequestWriter.WriteTraceContext(_parent, _parent.TraceStateString, _buffer, length);
    }

    [Benchmark]
    public int ClientSpan()
    {
        Activity.Current = _parent;
        var span = DirectClientSpan.Start(_context.Request, "svc-test", _pool!)!;
        DirectClientSpan.Answered(span, 200);
        Activity.Current = null;
        return (int)span.Kind;
    }

    [Benchmark]
    public int ParseResponseHead()
    {
        var connection = _connection!;
        ResponseHead.CopyTo(connection.Buffer, 0);
        connection.Start = 0;
        connection.End = ResponseHead.Length;
        return connection.Response.TryParse(connection, headRequest: false);
    }
}
