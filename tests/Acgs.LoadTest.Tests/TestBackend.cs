// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Testing;
using Microsoft.AspNetCore.Http;

namespace Acgs.LoadTest.Tests;

/// <summary>A real Kestrel backend on 127.0.0.1:0 (<see cref="KestrelTestServer"/>) running the given handler for every request.</summary>
public sealed class TestBackend : IAsyncDisposable
{
    private readonly KestrelTestServer _server;

    private TestBackend(KestrelTestServer server) => _server = server;

    public Uri Uri => _server.BaseUri;

    public static async Task<TestBackend> StartAsync(RequestDelegate handler)
    {
        ThreadPool.SetMinThreads(32, 32);
        return new TestBackend(await KestrelTestServer.StartAsync(handler));
    }

    /// <summary>A loopback URI on which nothing listens: a reserved port outside the ephemeral range, so no other listener takes it meanwhile.</summary>
    public static Uri UnreachableUri() => new($"http://127.0.0.1:{FreePort.Get()}/");

    public static Task Ok(HttpContext context)
    {
        context.Response.ContentLength = 2;
        return context.Response.Body.WriteAsync("ok"u8.ToArray()).AsTask();
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
