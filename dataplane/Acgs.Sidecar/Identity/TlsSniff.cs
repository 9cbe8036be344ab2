// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace Acgs.Sidecar.Identity;

/// <summary>
/// What a listener that takes both TLS and plaintext on one port needs (inbound HTTP, the bus): a look at the first byte
/// without consuming it, and the peer's SPIFFE ID recorded after the handshake.
/// </summary>
internal static class TlsSniff
{
    /// <summary>The first byte of a TLS handshake record.</summary>
    public const byte HandshakeRecord = 0x16;

    /// <summary>
    /// The connection's first byte, left unread for the next middleware; -1 when the peer closed before sending one.
    /// Cancellation of <paramref name="cancellationToken"/> throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public static async ValueTask<int> PeekFirstByteAsync(ConnectionContext connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var input = connection.Transport.Input;
        var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
        var first = result.Buffer.IsEmpty ? -1 : result.Buffer.FirstSpan[0];
        input.AdvanceTo(result.Buffer.Start); // nothing consumed
        return first;
    }

    /// <summary>After a handshake: records the client certificate's SPIFFE ID (validated in the handshake) as <see cref="PeerIdentityFeature"/>.</summary>
    public static void RecordPeer(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection.Features.Get<ITlsConnectionFeature>()?.ClientCertificate is { } peer
            && Acgs.Contracts.Identity.WorkloadCertificate.GetSpiffeId(peer) is { } id)
        {
            connection.Features.Set(new PeerIdentityFeature(id));
        }
    }
}
