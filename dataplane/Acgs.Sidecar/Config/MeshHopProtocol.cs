// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Config;

/// <summary>The protocol of the mTLS hop to meshed sidecars (<c>ACGS_MTLS_HOP_PROTOCOL</c>).</summary>
internal enum MeshHopProtocol
{
    /// <summary>Per request (the default): a request that arrived as HTTP/2 crosses over an HTTP/2 connection, an
    /// HTTP/1.x request over the HTTP/1.1 warm pool; both pools side by side per destination.</summary>
    Auto,

    /// <summary>Every request over HTTP/2 by ALPN (multiplexed, no per-destination concurrency limit).</summary>
    H2,

    /// <summary>Every request over the HTTP/1.1 warm pool (an HTTP/2 request is sent as HTTP/1.1).</summary>
    Http1,
}
