// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Acgs.Sidecar.Hosting;

/// <summary>
/// Connection middleware giving one cleartext port both HTTP/1.1 and h2c with prior knowledge:
/// Kestrel does not sniff the HTTP/2 preface on cleartext Http1AndHttp2 endpoints (it serves
/// HTTP/1.1 only), so this middleware peeks at the first bytes of each connection — without
/// consuming them — and, when they are the HTTP/2 preface, marks the connection as having
/// negotiated "h2" (<see cref="H2cPriorKnowledgeFeature"/>). Runs once per connection, not per request.
/// </summary>
internal static class H2cDetectionMiddleware
{
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();
    /// <summary>The middleware (for <c>ListenOptions.Use</c>); a connection silent for <paramref name="firstBytesTimeout"/> is closed.</summary>
    public static Func<ConnectionDelegate, ConnectionDelegate> Create(TimeSpan firstBytesTimeout) =>
        next => connection => DetectAsync(connection, next, firstBytesTimeout);

    private static async Task DetectAsync(ConnectionContext connection, ConnectionDelegate next, TimeSpan firstBytesTimeout)
    {
        if (connection.Features.Get<ITlsConnectionFeature>() is not null)
        {
            await next(connection).ConfigureAwait(false); // TLS terminated before us: ALPN already chose the protocol
            return;
        }

        var input = connection.Transport.Input;
        var isH2 = false;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
        timeout.CancelAfter(firstBytesTimeout); // the request-headers timeout: silent connections do not linger
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
            var length = (int)Math.Min(buffer.Length, Preface.Length);
            var matches = PrefixMatches(buffer, length);
            if (!matches || length == Preface.Length || result.IsCompleted || result.IsCanceled)
            {
                isH2 = matches && length == Preface.Length;
                input.AdvanceTo(buffer.Start); // nothing consumed or examined: Kestrel reads the same bytes at once
                break;
            }

            input.AdvanceTo(buffer.Start, buffer.End); // a partial preface: wait for more bytes
        }

        if (isH2)
        {
            connection.Features.Set<ITlsConnectionFeature>(H2cPriorKnowledgeFeature.Instance);
            connection.Features.Set<ITlsApplicationProtocolFeature>(H2cPriorKnowledgeFeature.Instance);
        }

        await next(connection).ConfigureAwait(false);
    }

    private static bool PrefixMatches(ReadOnlySequence<byte> buffer, int length)
    {
        Span<byte> head = stackalloc byte[24];
        buffer.Slice(0, length).CopyTo(head);
        return head[..length].SequenceEqual(Preface.AsSpan(0, length));
    }
}
