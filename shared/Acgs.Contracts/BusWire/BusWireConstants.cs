// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.BusWire;

/// <summary>Fixed values and limits of the bus frame protocol (docs/bus-protocol.md).</summary>
public static class BusWireConstants
{
    /// <summary>First byte of every frame.</summary>
    public const byte Magic = 0xAC;

    /// <summary>The protocol version this codec speaks (second byte of every frame).</summary>
    public const byte Version = 1;

    /// <summary>Size of the frame header: magic, version, type, flags, 32-bit big-endian body length.</summary>
    public const int HeaderSize = 8;

    /// <summary>Largest frame body accepted (1 MiB). A larger declared length closes the connection.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Largest identifier (message, conversation, agent, tenant id) in UTF-8 bytes.</summary>
    public const int MaxIdBytes = 128;

    /// <summary>Largest constitutional-hash field in bytes (a valid hash has 16).</summary>
    public const int MaxHashBytes = 64;

    /// <summary>Largest error detail text in bytes.</summary>
    public const int MaxDetailBytes = 255;

    /// <summary>Fixed part of a message body: priority, type, created, expires, impact score, payload length.</summary>
    public const int MessageFixedBytes = 1 + 1 + 8 + 8 + 8 + 4;

    /// <summary>Largest payload a message may carry (the frame limit minus the largest possible envelope).</summary>
    public const int MaxPayloadBytes = MaxBodyBytes - MessageFixedBytes - (5 * (1 + MaxIdBytes)) - (1 + MaxHashBytes);

    /// <summary>Length of a traceparent field (W3C version 00: <c>00-{32 hex}-{16 hex}-{2 hex}</c>).</summary>
    public const int TraceParentBytes = 55;

    /// <summary>Largest tracestate field in bytes.</summary>
    public const int MaxTraceStateBytes = 255;

    /// <summary>Largest trace context a message may carry after its payload (both fields with their length bytes).</summary>
    public const int MaxTraceContextBytes = 1 + TraceParentBytes + 1 + MaxTraceStateBytes;

    /// <summary>Body size of ping and pong frames (an opaque 64-bit value echoed back).</summary>
    public const int PingBodyBytes = 8;

    /// <summary>Offset of the frame-type byte inside a frame.</summary>
    public const int TypeOffset = 2;

    /// <summary>Offset of the flags byte inside a frame.</summary>
    public const int FlagsOffset = 3;

    /// <summary>Default TCP port of the bus listener.</summary>
    public const int DefaultPort = 8080;
}
