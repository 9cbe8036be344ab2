// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.Extensions.Primitives;

namespace Acgs.Sidecar.Identity;

/// <summary>The verified identity of the peer on an mTLS connection (set once per connection, after the handshake).</summary>
internal sealed class PeerIdentityFeature
{
    public PeerIdentityFeature(string spiffeId)
    {
        SpiffeId = spiffeId;
        HeaderValue = new StringValues(spiffeId);
    }

    /// <summary>The peer's SPIFFE ID.</summary>
    public string SpiffeId { get; }

    /// <summary>The header value, built once so requests copy a reference.</summary>
    public StringValues HeaderValue { get; }

    /// <summary>This caller's golden-metrics edge, looked up on the connection's first request and kept for the others.</summary>
    internal Telemetry.EdgeStats? GoldenEdge { get; set; }

    /// <summary>The caller's slot in <see cref="CallerMetrics"/>, or -1 until its first request was counted.</summary>
    public int CallerSlot { get; set; } = -1;

    /// <summary>
    /// This caller's metering source id (in the sidecar's one <see cref="Metering.UsageRecorder"/>'s names), or -1 until
    /// its first request was metered; names are never removed, so the id stays right for the connection's life.
    /// </summary>
    internal int MeteringSource { get; set; } = -1;
}
