// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Microsoft.AspNetCore.Http;

namespace Acgs.Testing;

/// <summary>A test OTLP/HTTP collector: a real Kestrel endpoint taking POST /v1/traces (application/x-protobuf) and keeping the decoded spans.</summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly List<ReceivedSpan> _spans = [];
    private KestrelTestServer _server = null!;

    public Uri Endpoint => new($"http://127.0.0.1:{_server.Port}");

    /// <summary>The requests that were not an OTLP protobuf POST to /v1/traces.</summary>
    public int Refused { get; private set; }

    public static async Task<OtlpReceiver> StartAsync()
    {
        var receiver = new OtlpReceiver();
        receiver._server = await KestrelTestServer.StartAsync(receiver.HandleAsync, IPAddress.Loopback);
        return receiver;
    }

    public IReadOnlyList<ReceivedSpan> Spans()
    {
        lock (_spans)
        {
            return [.. _spans];
        }
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Method != HttpMethods.Post || context.Request.Path != "/v1/traces"
            || context.Request.ContentType != "application/x-protobuf")
        {
            Refused++;
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var spans = OtlpTraceDecoder.Decode(body.ToArray());
        lock (_spans)
        {
            _spans.AddRange(spans);
        }

        context.Response.ContentType = "application/x-protobuf";
        context.Response.StatusCode = StatusCodes.Status200OK;
    }
}
