// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Acgs.Core;
using Acgs.Testing;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.Tests.Transparent;

/// <summary>
/// A real Kestrel backend on one address, port 0: answers <c>backend:&lt;path&gt;</c> and echoes what it
/// saw (hash header, Host, the peer's address) in <c>X-Seen-*</c> response headers; counts requests.
/// </summary>
internal sealed class RecordingBackend : IAsyncDisposable
{
    public const string Marker = "backend:";

    private KestrelTestServer _server = null!;
    private int _requests;

    public int Port => _server.Port;

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<RecordingBackend> StartAsync(IPAddress address)
    {
        var backend = new RecordingBackend();
        backend._server = await KestrelTestServer.StartAsync(backend.HandleAsync, address);
        return backend;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var headers = context.Response.Headers;
        headers["X-Seen-Hash"] = context.Request.Headers[AcgsConstants.HashHeaderName].ToString();
        headers["X-Seen-Host"] = context.Request.Host.Value;
        headers["X-Seen-Remote"] = context.Connection.RemoteIpAddress?.ToString();
        return context.Response.WriteAsync(Marker + context.Request.Path);
    }
}
