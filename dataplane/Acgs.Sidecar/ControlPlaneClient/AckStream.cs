// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Headers;
using Acgs.Contracts.ControlPlane;

namespace Acgs.Sidecar.ControlPlaneClient;

/// <summary>
/// The sidecar's ACK stream (<see cref="WatchLines.AckStreamHeader"/>): one long-lived chunked <c>POST</c>
/// <see cref="ControlPlaneRoutes.AckStream"/> per watch stream, whose body is the sidecar's ACK/NACK lines, so an answer costs the
/// control plane a line read instead of a whole HTTP request. HTTP/1.1 sends a request body before it reads the response,
/// so the request's content is held open (<see cref="PushContent"/>) and each line is written and flushed into it as it comes;
/// disposing ends the body and waits (bounded) for the control plane's answer. Any failure to write marks the stream broken and
/// <see cref="TrySendAsync"/> returns false: the caller then POSTs that answer and every later one of this watch.
/// </summary>
internal sealed class AckStream : IAsyncDisposable
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    private readonly TaskCompletionSource<Stream> _body = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _abort = new();
    private readonly Task _send;
    private volatile bool _broken;

    /// <summary>Opens the stream on <paramref name="http"/> (a relative <paramref name="path"/>) with <paramref name="authorization"/>.</summary>
    public AckStream(HttpClient http, string path, AuthenticationHeaderValue? authorization, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(http);
        Time = time;
        _send = SendAsync(http, path, authorization);
    }

    /// <summary>True once a write failed or the request ended: every answer of this watch goes by <c>POST</c>.</summary>
    public bool Broken => _broken;

    /// <summary>The status of the control plane's answer once the request ended, or null.</summary>
    public HttpStatusCode? Status { get; private set; }

    private TimeProvider Time { get; }

    /// <summary>Writes <paramref name="line"/> (one JSON object, newline included) and flushes it; false when the stream is broken.</summary>
    public async ValueTask<bool> TrySendAsync(ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        if (_broken || line.IsEmpty)
        {
            return false;
        }

        try
        {
            var body = await _body.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            await body.WriteAsync(line, cancellationToken).ConfigureAwait(false);
            await body.FlushAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested
            && ex is IOException or HttpRequestException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            _broken = true;
            return false;
        }
    }

    /// <summary>Ends the body and waits, at most a couple of seconds, for the control plane's answer.</summary>
    public async ValueTask DisposeAsync()
    {
        _broken = true;
        _ended.TrySetResult();
        try
        {
            await _send.WaitAsync(CloseTimeout, Time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await _abort.CancelAsync().ConfigureAwait(false);
            await _send.ConfigureAwait(false);
        }

        _abort.Dispose();
    }

    private async Task SendAsync(HttpClient http, string path, AuthenticationHeaderValue? authorization)
    {
        await Task.Yield();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new PushContent(this) };
            request.Headers.Authorization = authorization;
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _abort.Token).ConfigureAwait(false);
            Status = response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            _broken = true;
            _body.TrySetException(new IOException("the ACK stream ended"));
        }
    }

    /// <summary>A request body that hands its stream to the owner and stays open until the owner is disposed.</summary>
    private sealed class PushContent(AckStream owner) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            owner._body.TrySetResult(stream);
            await owner._ended.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
