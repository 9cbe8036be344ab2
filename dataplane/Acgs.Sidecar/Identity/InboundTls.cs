// Constitutional Hash: cdd01ef066bc6cf2

using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Acgs.Contracts.Config;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Acgs.Sidecar.Identity;

/// <summary>
/// mTLS on the inbound listener, beside plaintext on the same port. <see cref="Sniff"/> peeks at the first byte of each
/// connection: a TLS handshake record (0x16) goes through Kestrel's HTTPS middleware, which presents the workload
/// certificate from the cached <see cref="SslStreamCertificateContext"/> (rebuilt only when a renewal swaps it) and
/// requires a client certificate that <see cref="MutualTlsRuntime"/> accepts; anything else skips TLS. In strict mode
/// plaintext is refused, in disabled mode TLS is. <see cref="Identify"/> records the verified peer for
/// <see cref="PeerIdentityMiddleware"/>. Per connection, never per request.
/// </summary>
internal sealed class InboundTls
{
    private readonly Func<IServiceProvider> _services;
    private readonly TimeSpan _firstBytesTimeout;
    private MutualTlsRuntime? _runtime;
    private ConnectionDelegate? _plaintext;
    private Tuple<WorkloadCredential, SslServerAuthenticationOptions>? _options;

    /// <summary>
    /// Creates the middleware; <paramref name="firstBytesTimeout"/> (the listener's request-headers timeout,
    /// <c>ACGS_REQUEST_HEADERS_TIMEOUT_SECONDS</c>) bounds the wait for a connection's first byte and for its TLS handshake.
    /// </summary>
    public InboundTls(Func<IServiceProvider> services, TimeSpan firstBytesTimeout)
    {
        _services = services;
        _firstBytesTimeout = firstBytesTimeout;
    }

    private MutualTlsRuntime Runtime => _runtime ??= (MutualTlsRuntime)_services().GetService(typeof(MutualTlsRuntime))!;

    /// <summary>Adds the middleware to the inbound listener, before the h2c detection.</summary>
    public void Configure(ListenOptions listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        listen.Use(Sniff);
        listen.UseHttps(new TlsHandshakeCallbackOptions { OnConnection = OnConnection, HandshakeTimeout = _firstBytesTimeout });
        listen.Use(Identify);
    }

    private ConnectionDelegate Sniff(ConnectionDelegate tls) => connection => SniffAsync(connection, tls);

    /// <summary>After the handshake: records the peer (validated in the handshake) and remembers the plaintext path.</summary>
    private ConnectionDelegate Identify(ConnectionDelegate next)
    {
        _plaintext = next; // plaintext connections skip the HTTPS middleware and this step
        return connection =>
        {
            Runtime.Identity.Metrics.InboundHandshakes.Inc();
            TlsSniff.RecordPeer(connection);
            return next(connection);
        };
    }

    private async Task SniffAsync(ConnectionContext connection, ConnectionDelegate tls)
    {
        byte first;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed))
        {
            timeout.CancelAfter(_firstBytesTimeout);
            try
            {
                var peeked = await TlsSniff.PeekFirstByteAsync(connection, timeout.Token).ConfigureAwait(false);
                if (peeked < 0)
                {
                    return;
                }

                first = (byte)peeked;
            }
            catch (OperationCanceledException)
            {
                connection.Abort();
                return;
            }
        }

        var mode = Runtime.Mode;
        var peer = connection.RemoteEndPoint?.ToString() ?? "unknown";
        if (first == TlsSniff.HandshakeRecord)
        {
            if (mode == MutualTlsMode.Disabled || Runtime.Identity.Current is null)
            {
                Runtime.Rejections.Reject("inbound", peer, PeerCertificateValidator.NoIdentity);
                connection.Abort();
                return;
            }

            await tls(connection).ConfigureAwait(false);
            return;
        }

        if (mode == MutualTlsMode.Strict)
        {
            Runtime.Rejections.Reject("inbound", peer, PeerCertificateValidator.Plaintext);
            connection.Abort();
            return;
        }

        await _plaintext!(connection).ConfigureAwait(false);
    }

    private ValueTask<SslServerAuthenticationOptions> OnConnection(TlsHandshakeCallbackContext context)
    {
        var credential = Runtime.Identity.Current ?? throw new AuthenticationException("no workload certificate");
        var cached = Volatile.Read(ref _options);
        if (cached is null || !ReferenceEquals(cached.Item1, credential))
        {
            cached = Tuple.Create(credential, new SslServerAuthenticationOptions
            {
                ServerCertificateContext = credential.Context,
                ClientCertificateRequired = true,
                EnabledSslProtocols = SslProtocols.Tls13 | SslProtocols.Tls12,
                ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = ValidateClient,
            });
            Volatile.Write(ref _options, cached);
        }

        return ValueTask.FromResult(cached.Item2);
    }

    private bool ValidateClient(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var peer = certificate as X509Certificate2;
        var reason = Runtime.Validate(peer, chain?.ChainPolicy.ExtraStore, expected: null, Runtime.Time.GetUtcNow(), out _);
        if (reason is null)
        {
            return true;
        }

        Runtime.Rejections.Reject("inbound", peer is null ? "no certificate" : Acgs.Contracts.Identity.WorkloadCertificate.GetSpiffeId(peer) ?? peer.Subject, reason);
        return false;
    }
}
