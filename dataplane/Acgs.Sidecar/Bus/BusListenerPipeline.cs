// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using Acgs.Contracts.BusWire;
using Acgs.Sidecar.Identity;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Acgs.Sidecar.Bus;

/// <summary>
/// The connection middleware of the framed bus listener, per connection (never per message): the connection limit
/// first (past <see cref="BusOptions.MaxConnections"/> a <c>connection_limit</c> error frame, then close), then, when
/// peer links are mutual TLS (<see cref="BusPeerTls.Required"/>), a look at the first byte: a TLS handshake record goes
/// through Kestrel's TLS middleware with the workload certificate and a required, checked client certificate, and the
/// verified peer is recorded as a <see cref="PeerIdentityFeature"/>; anything else stays plaintext (local agents).
/// </summary>
internal sealed class BusListenerPipeline(BusRouter router)
{
    private ConnectionDelegate? _plaintext;

    /// <summary>Adds the middleware and the bus connection handler to <paramref name="listen"/>.</summary>
    public void Configure(ListenOptions listen)
    {
        listen.Use(next => connection => LimitAsync(connection, next));
        if (router.PeerTls.Required)
        {
            listen.Use(tls => connection => SniffAsync(connection, tls));
            listen.UseHttps(new TlsHandshakeCallbackOptions
            {
                OnConnection = _ => ValueTask.FromResult(router.PeerTls.ServerOptions()),
                HandshakeTimeout = router.Options.RegisterTimeout,
            });
            listen.Use(Identify);
        }

        listen.UseConnectionHandler<BusConnectionHandler>();
    }

    private async Task LimitAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        if (!router.TryAcquireConnection())
        {
            router.Metrics.ConnectionRefused(BusMetrics.ConnectionLimitReason);
            await RefuseAsync(connection, BusErrorCode.ConnectionLimit).ConfigureAwait(false);
            return;
        }

        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            router.ReleaseConnection();
        }
    }

    private ConnectionDelegate Identify(ConnectionDelegate next)
    {
        _plaintext = next; // plaintext connections skip the TLS middleware and this step
        return connection =>
        {
            TlsSniff.RecordPeer(connection);
            return next(connection);
        };
    }

    private async Task SniffAsync(ConnectionContext connection, ConnectionDelegate tls)
    {
        byte first;
        using (var timeout = new CancellationTokenSource(router.Options.RegisterTimeout, router.Time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, connection.ConnectionClosed))
        {
            try
            {
                var peeked = await TlsSniff.PeekFirstByteAsync(connection, linked.Token).ConfigureAwait(false);
                if (peeked < 0)
                {
                    return;
                }

                first = (byte)peeked;
            }
            catch (OperationCanceledException)
            {
                if (timeout.IsCancellationRequested)
                {
                    router.Metrics.ConnectionRefused(BusMetrics.RegisterTimeoutReason);
                    await RefuseAsync(connection, BusErrorCode.Timeout).ConfigureAwait(false);
                }

                return;
            }
        }

        if (first != TlsSniff.HandshakeRecord)
        {
            await _plaintext!(connection).ConfigureAwait(false);
            return;
        }

        try
        {
            await tls(connection).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
        {
            router.Metrics.ConnectionRefused(BusMetrics.TlsRefusedReason);
        }
    }

    /// <summary>Writes one connection-level error frame and closes.</summary>
    private static async Task RefuseAsync(ConnectionContext connection, BusErrorCode code)
    {
        try
        {
            var output = connection.Transport.Output;
            BusFrameWriter.WriteError(output, code, default, BusErrorDetails.For(code));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await output.FlushAsync(timeout.Token).ConfigureAwait(false);
            await output.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException or ConnectionResetException)
        {
            // The client is gone already.
        }
    }
}
