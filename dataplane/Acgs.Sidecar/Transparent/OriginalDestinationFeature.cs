// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Acgs.Sidecar.Hosting;

namespace Acgs.Sidecar.Transparent;

/// <summary>
/// Connection feature of a connection that iptables redirected to a sidecar listener: the address
/// the client dialled (<c>SO_ORIGINAL_DST</c>), read once when the connection was accepted
/// (<see cref="OriginalDestinationMiddleware"/>). Set only on redirected connections: a connection
/// made to the listener itself has no feature. Requests see it through
/// <c>HttpContext.Features.Get&lt;OriginalDestinationFeature&gt;()</c> (Kestrel falls back to the
/// connection's features). Immutable; shared by every request (and HTTP/2 stream) of the connection.
/// </summary>
internal sealed class OriginalDestinationFeature
{
    /// <summary>Creates the feature of a connection redirected from <paramref name="originalDestination"/>.</summary>
    public OriginalDestinationFeature(IPEndPoint originalDestination, ListenerKind listener, PassthroughForwarder? passthrough)
    {
        ArgumentNullException.ThrowIfNull(originalDestination);
        OriginalDestination = originalDestination;
        Listener = listener;
        Passthrough = passthrough;
        var address = originalDestination.Address;
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var port = originalDestination.Port.ToString(CultureInfo.InvariantCulture);
        Authority = address.AddressFamily == AddressFamily.InterNetworkV6
            ? "[" + address.ToString() + "]:" + port
            : address.ToString() + ":" + port;
        DestinationPrefix = "http://" + Authority + "/";
    }

    /// <summary>The address and port the client dialled.</summary>
    public IPEndPoint OriginalDestination { get; }

    /// <summary>The listener the connection was redirected to (inbound or outbound).</summary>
    public ListenerKind Listener { get; }

    /// <summary><c>ip:port</c> (<c>[ip]:port</c> for IPv6) of <see cref="OriginalDestination"/>.</summary>
    public string Authority { get; }

    /// <summary><c>http://ip:port/</c>: the passthrough forwarder's destination prefix, built once per connection.</summary>
    public string DestinationPrefix { get; }

    /// <summary>The outbound passthrough, or null when it is off (<c>ACGS_OUTBOUND_PASSTHROUGH=0</c>) or on the inbound listener.</summary>
    public PassthroughForwarder? Passthrough { get; }
}
