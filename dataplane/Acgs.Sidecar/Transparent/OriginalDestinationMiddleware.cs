// Constitutional Hash: cdd01ef066bc6cf2

using System.IO.Pipelines;
using Acgs.Sidecar.Hosting;
using Microsoft.AspNetCore.Connections;

namespace Acgs.Sidecar.Transparent;

/// <summary>
/// Connection middleware of the inbound and outbound listeners: when the accepted connection was
/// redirected by iptables, sets its <see cref="OriginalDestinationFeature"/> before any request is
/// read. One <c>getsockopt</c> per connection, never per request; connections made to the listener
/// itself get no feature and cost nothing else. On a redirected outbound connection (with passthrough
/// on) the first bytes are peeked at, without consuming them: HTTP goes on to Kestrel, anything else
/// (TLS, Redis, …) is tunnelled as TCP or refused (<see cref="TransparentProxy.HandleOpaqueAsync"/>).
/// </summary>
internal sealed class OriginalDestinationMiddleware
{
    private readonly TransparentProxy _proxy;
    private readonly ListenerKind _listener;
    private readonly ConnectionDelegate _next;
    private readonly TimeSpan _firstBytesTimeout;

    /// <summary>
    /// Creates the middleware of <paramref name="listener"/>; <paramref name="firstBytesTimeout"/> (the listener's
    /// request-headers timeout) bounds the wait for the first bytes of a redirected outbound connection.
    /// </summary>
    public OriginalDestinationMiddleware(TransparentProxy proxy, ListenerKind listener, ConnectionDelegate next, TimeSpan firstBytesTimeout)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        ArgumentNullException.ThrowIfNull(next);
        _proxy = proxy;
        _listener = listener;
        _next = next;
        _firstBytesTimeout = firstBytesTimeout;
    }

    /// <summary>Handles one accepted connection.</summary>
    public Task InvokeAsync(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (_proxy.Inspect(connection, _listener) is not { } feature)
        {
            return _next(connection);
        }

        connection.Features.Set(feature);
        return _listener == ListenerKind.Outbound && _proxy.SniffsOutbound ? SniffAsync(connection, feature) : _next(connection);
    }

    private async Task SniffAsync(ConnectionContext connection, OriginalDestinationFeature feature)
    {
        var input = connection.Transport.Input;
        HttpSniffer.Verdict verdict;
        // Not linked to ConnectionClosed: Kestrel fires it at the client's FIN, which may come right after
        // the first bytes (a client that sends, then half-closes) — the bytes must still be classified.
        using (var timeout = new CancellationTokenSource(_firstBytesTimeout)) // silent connections do not linger
        {
            while (true)
            {
                ReadResult result;
                try
                {
                    result = await input.ReadAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    connection.Abort();
                    return;
                }

                var buffer = result.Buffer;
                verdict = HttpSniffer.Classify(buffer);
                if (verdict != HttpSniffer.Verdict.NeedMore || result.IsCompleted || result.IsCanceled)
                {
                    input.AdvanceTo(buffer.Start); // nothing consumed: Kestrel or the tunnel reads the same bytes
                    break;
                }

                input.AdvanceTo(buffer.Start, buffer.End);
            }
        }

        if (verdict == HttpSniffer.Verdict.NotHttp)
        {
            await _proxy.HandleOpaqueAsync(connection, feature).ConfigureAwait(false);
            return;
        }

        await _next(connection).ConfigureAwait(false);
    }
}
