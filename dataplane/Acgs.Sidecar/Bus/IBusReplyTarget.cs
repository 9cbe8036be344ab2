// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.BusWire;

namespace Acgs.Sidecar.Bus;

/// <summary>
/// Where the answer for a message goes: an agent connection, a peer sidecar link or an HTTP request.
/// Both methods take ownership of the message and must give it back to the pool.
/// </summary>
internal interface IBusReplyTarget
{
    /// <summary>The message was delivered and acknowledged (or stored, with <see cref="BusFrameFlagBits.Stored"/>).</summary>
    void OnAck(RoutedMessage message, BusFrameFlagBits flags);

    /// <summary>The message was rejected or could not be delivered.</summary>
    void OnError(RoutedMessage message, BusErrorCode code);
}
