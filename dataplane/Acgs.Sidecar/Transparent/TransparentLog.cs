// Constitutional Hash: cdd01ef066bc6cf2

using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.Transparent;

/// <summary>Log messages of the transparent proxy (event ids 8000–8099). None is written per request.</summary>
internal static partial class TransparentLog
{
    [LoggerMessage(EventId = 8001, Level = LogLevel.Information, Message = "SO_ORIGINAL_DST is not available ({Error}): no connection is treated as redirected by iptables from now on")]
    public static partial void OriginalDstUnavailable(ILogger logger, SocketError error);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Information, Message = "First connection redirected by iptables to the {Listener} listener (original destination {Destination}); outbound passthrough {Passthrough}")]
    public static partial void FirstRedirect(ILogger logger, string listener, string destination, string passthrough);

    [LoggerMessage(EventId = 8003, Level = LogLevel.Warning, Message = "A redirected outbound connection to {Destination} does not speak HTTP and was closed (logged once; counted in acgs_outbound_opaque_connections_total): exclude its port with acgs-iptables.sh --exclude-outbound-ports, or set ACGS_OUTBOUND_TCP_PASSTHROUGH=1 to tunnel it")]
    public static partial void OpaqueRefused(ILogger logger, string destination);
}
