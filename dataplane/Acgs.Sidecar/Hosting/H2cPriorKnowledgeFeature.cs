// Constitutional Hash: cdd01ef066bc6cf2

using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Acgs.Sidecar.Hosting;

/// <summary>
/// Connection features that make Kestrel pick HTTP/2 on a cleartext Http1AndHttp2 endpoint: Kestrel
/// selects the protocol from ALPN, and without TLS it always falls back to HTTP/1.1. When
/// <see cref="H2cDetectionMiddleware"/> has seen the HTTP/2 connection preface, it sets this object
/// as the connection's ALPN result ("h2"). No certificate, no TLS: the request scheme stays the
/// client's <c>:scheme</c> (<c>KestrelServerOptions.AllowAlternateSchemes</c>).
/// </summary>
internal sealed class H2cPriorKnowledgeFeature : ITlsConnectionFeature, ITlsApplicationProtocolFeature
{
    private static readonly byte[] H2 = "h2"u8.ToArray();

    private H2cPriorKnowledgeFeature()
    {
    }

    /// <summary>The shared instance (stateless).</summary>
    public static H2cPriorKnowledgeFeature Instance { get; } = new();

    /// <inheritdoc />
    public ReadOnlyMemory<byte> ApplicationProtocol => H2;

    /// <inheritdoc />
    public X509Certificate2? ClientCertificate
    {
        get => null;
        set => throw new NotSupportedException("cleartext HTTP/2 has no client certificate");
    }

    /// <inheritdoc />
    public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult<X509Certificate2?>(null);
}
