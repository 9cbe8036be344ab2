// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using Acgs.Testing;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.Tests.Resilience;

/// <summary>
/// A real Kestrel upstream on 127.0.0.1 port 0 that counts requests and answers as told: a
/// status (default 200), a script of statuses, a stall until released, or an aborted connection.
/// </summary>
public sealed class TestUpstream : IAsyncDisposable
{
    private readonly ConcurrentQueue<int> _script = new();
    private KestrelTestServer _server = null!;
    private int _requests;
    private volatile int _status = 200;
    private volatile bool _abort;
    private volatile TaskCompletionSource? _stall;

    /// <summary>The base address, e.g. http://127.0.0.1:40123/.</summary>
    public Uri BaseUri => _server.BaseUri;

    /// <summary>Runs on every request before it is answered (e.g. to change the breaker meanwhile).</summary>
    public Action? OnRequest { get; set; }

    /// <summary>Requests that reached the upstream.</summary>
    public int RequestCount => Volatile.Read(ref _requests);

    public static async Task<TestUpstream> StartAsync()
    {
        var upstream = new TestUpstream();
        upstream._server = await KestrelTestServer.StartAsync(upstream.HandleAsync);
        return upstream;
    }

    /// <summary>An address on which nothing listens (connection refused): a reserved port outside the ephemeral range, so no other listener takes it meanwhile.</summary>
    public static Uri UnusedLoopbackUri() => new($"http://127.0.0.1:{FreePort.Get()}/");

    /// <summary>Answer every request with <paramref name="status"/>.</summary>
    public void Respond(int status)
    {
        _abort = false;
        _status = status;
    }

    /// <summary>Answer the next requests with these statuses, then with the default.</summary>
    public void Script(params int[] statuses)
    {
        foreach (var status in statuses)
        {
            _script.Enqueue(status);
        }
    }

    /// <summary>Abort the connection of every request (no response).</summary>
    public void AbortConnections() => _abort = true;

    /// <summary>Hold every request until <see cref="Release"/> (or the client goes away).</summary>
    public void Stall() => _stall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Let the held requests answer.</summary>
    public void Release() => Interlocked.Exchange(ref _stall, null)?.TrySetResult();

    /// <summary>Waits until <paramref name="count"/> requests in all have reached the upstream.</summary>
    public Task WaitForRequestsAsync(int count) =>
        Eventually.TrueAsync(() => RequestCount >= count, $"{count} requests reach the upstream");

    public async ValueTask DisposeAsync()
    {
        Release();
        await _server.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        OnRequest?.Invoke();
        if (_stall is { } stall)
        {
            try
            {
                await stall.Task.WaitAsync(context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        if (_abort)
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = _script.TryDequeue(out var scripted) ? scripted : _status;
        await context.Response.WriteAsync("upstream");
    }
}
