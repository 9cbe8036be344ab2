// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.Bus;

/// <summary>Source-generated log messages of the bus (event ids 6100–6199). Never on the per-message path.</summary>
internal static partial class BusLog
{
    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Bus peer link to {Address} failed: {Reason}")]
    public static partial void PeerLinkFailed(ILogger logger, string address, string reason);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Bus peer {Address} refused the link: {Code}")]
    public static partial void PeerLinkRejected(ILogger logger, string address, string code);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Error, Message = "Bus offline store failed ({Operation}): {Reason}")]
    public static partial void StoreFailed(ILogger logger, string operation, string reason);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Information, Message = "Bus listening on {Address}:{Port} (HTTP API port {HttpPort}, offline store {Store})")]
    public static partial void Listening(ILogger logger, string address, int port, int httpPort, string store);

    [LoggerMessage(EventId = 6105, Level = LogLevel.Information, Message = "Bus offline store holds {Count} messages")]
    public static partial void StoreLoaded(ILogger logger, long count);

    [LoggerMessage(EventId = 6106, Level = LogLevel.Warning, Message = "Bus connection {Connection} closed as a slow reader: {Capacity} replies queued and not read")]
    public static partial void SlowReader(ILogger logger, string connection, int capacity);

    [LoggerMessage(EventId = 6107, Level = LogLevel.Debug, Message = "Bus connection {Connection} refused: a plaintext connection asked for the peer-link role (counted in acgs_bus_connections_closed_total)")]
    public static partial void PeerLinkRefused(ILogger logger, string connection);
}
