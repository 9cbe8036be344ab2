// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.BusWire;

/// <summary>Bits of the header flags byte. Unknown bits are ignored by receivers.</summary>
[Flags]
public enum BusFrameFlagBits : byte
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>On <see cref="BusFrameType.Register"/>: the connection is a sidecar-to-sidecar link, not an agent.</summary>
    PeerLink = 0x01,

    /// <summary>On <see cref="BusFrameType.Ack"/>: the recipient is offline; the message is stored durably and will be delivered when it connects.</summary>
    Stored = 0x02,

    /// <summary>On <see cref="BusFrameType.Deliver"/>: the message comes from the offline store (it may have been delivered before).</summary>
    Redelivery = 0x04,

    /// <summary>
    /// On <see cref="BusFrameType.Send"/>/<see cref="BusFrameType.Deliver"/>: the body carries W3C trace context after the
    /// payload (<c>str8 traceparent</c>, <c>str8 tracestate</c>). On <see cref="BusFrameType.Register"/>: the connection
    /// can receive it; on <see cref="BusFrameType.RegisterAck"/>: the sidecar accepts it.
    /// </summary>
    TraceContext = 0x08,
}
