// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.BusWire;

/// <summary>Where each field of a message body lies (offsets relative to the body) and its fixed values.</summary>
public readonly record struct BusFieldRanges
{
    /// <summary>Creation time, Unix milliseconds.</summary>
    public long CreatedAt { get; init; }

    /// <summary>Expiry, Unix milliseconds, 0 = never.</summary>
    public long ExpiresAt { get; init; }

    /// <summary>Impact score.</summary>
    public double ImpactScore { get; init; }

    /// <summary>Offset of message_id.</summary>
    public int MessageIdOffset { get; init; }

    /// <summary>Length of message_id.</summary>
    public int MessageIdLength { get; init; }

    /// <summary>Offset of conversation_id.</summary>
    public int ConversationIdOffset { get; init; }

    /// <summary>Length of conversation_id.</summary>
    public int ConversationIdLength { get; init; }

    /// <summary>Offset of from_agent.</summary>
    public int FromAgentOffset { get; init; }

    /// <summary>Length of from_agent.</summary>
    public int FromAgentLength { get; init; }

    /// <summary>Offset of to_agent.</summary>
    public int ToAgentOffset { get; init; }

    /// <summary>Length of to_agent.</summary>
    public int ToAgentLength { get; init; }

    /// <summary>Offset of tenant_id.</summary>
    public int TenantIdOffset { get; init; }

    /// <summary>Length of tenant_id.</summary>
    public int TenantIdLength { get; init; }

    /// <summary>Offset of constitutional_hash.</summary>
    public int HashOffset { get; init; }

    /// <summary>Length of constitutional_hash.</summary>
    public int HashLength { get; init; }

    /// <summary>Offset of the payload.</summary>
    public int PayloadOffset { get; init; }

    /// <summary>Length of the payload.</summary>
    public int PayloadLength { get; init; }

    /// <summary>Offset of the traceparent (0 when the message carries no trace context).</summary>
    public int TraceParentOffset { get; init; }

    /// <summary>Length of the traceparent (0 or <see cref="BusWireConstants.TraceParentBytes"/>).</summary>
    public int TraceParentLength { get; init; }

    /// <summary>Offset of the tracestate.</summary>
    public int TraceStateOffset { get; init; }

    /// <summary>Length of the tracestate (may be 0).</summary>
    public int TraceStateLength { get; init; }

    /// <summary>Whether the message carries trace context (after its payload).</summary>
    public bool HasTraceContext => TraceParentLength != 0;

    /// <summary>Where the trace context starts: the end of the payload (the body length without trace context).</summary>
    public int TraceContextOffset => PayloadOffset + PayloadLength;
}
