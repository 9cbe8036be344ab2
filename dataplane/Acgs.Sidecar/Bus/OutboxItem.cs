// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.BusWire;

namespace Acgs.Sidecar.Bus;

/// <summary>One frame waiting to be written on a connection.</summary>
/// <param name="Type">Frame type to write.</param>
/// <param name="Flags">Header flags.</param>
/// <param name="Code">Error code (error frames).</param>
/// <param name="Message">The message it carries or answers (owned by the item).</param>
/// <param name="Bytes">An id to write when there is no message (rare paths).</param>
/// <param name="Ping">Ping/pong value.</param>
internal readonly record struct OutboxItem(
    BusFrameType Type,
    BusFrameFlagBits Flags,
    BusErrorCode Code,
    RoutedMessage? Message,
    byte[]? Bytes,
    ulong Ping);
