// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Resilience;

/// <summary>
/// The two pools of a meshed destination side by side (<c>ACGS_MTLS_HOP_PROTOCOL=auto</c>): a request whose version is
/// HTTP/2 (set per request by <see cref="Outbound.MeshHopTransform"/>) goes over the HTTP/2 handler, every other one
/// over the inner handler, the HTTP/1.1 warm pool. One version compare per request, no allocation.
/// </summary>
internal sealed class MeshHopHandler : DelegatingHandler
{
    private readonly HttpMessageInvoker _http2;

    /// <summary>Creates the handler: <paramref name="http1"/> for HTTP/1.x requests, <paramref name="http2"/> (disposed
    /// with this handler) for HTTP/2 ones.</summary>
    public MeshHopHandler(HttpMessageHandler http1, HttpMessageHandler http2)
        : base(http1)
    {
        ArgumentNullException.ThrowIfNull(http2);
        _http2 = new HttpMessageInvoker(http2, disposeHandler: true);
    }

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Version.Major >= 2 ? _http2.SendAsync(request, cancellationToken) : base.SendAsync(request, cancellationToken);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _http2.Dispose();
        }

        base.Dispose(disposing);
    }
}
