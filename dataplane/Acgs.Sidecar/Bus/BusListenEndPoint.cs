// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Sockets;

namespace Acgs.Sidecar.Bus;

/// <summary>
/// The bus port's address as Kestrel sees it: a type of its own, so that only <see cref="BusTransportFactory"/>
/// binds it (every other listener keeps Kestrel's socket transport and its settings).
/// </summary>
internal sealed class BusListenEndPoint(IPEndPoint address) : EndPoint
{
    /// <summary>The IP address and port to bind.</summary>
    public IPEndPoint Address { get; } = address;

    /// <inheritdoc />
    public override AddressFamily AddressFamily => Address.AddressFamily;

    /// <inheritdoc />
    public override string ToString() => "bus://" + Address;
}
