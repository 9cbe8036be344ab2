// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
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

    /// <summary>A loopback URI on which nothing listens.</summary>
    public static Uri UnreachableUri()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }

    public static Task Ok(HttpContext context)
    {
        context.Response.ContentLength = 2;
        return context.Response.Body.WriteAsync("ok"u8.ToArray()).AsTask();
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
