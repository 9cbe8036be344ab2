// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.BusWire;

/// <summary>
/// A parsed send/deliver body: spans over the caller's buffer, nothing copied or allocated.
/// Valid only while that buffer is. Offsets are relative to the start of the body.
/// </summary>
public readonly ref struct BusMessageView
{
    private readonly ReadOnlySpan<byte> _body;
    private readonly BusFieldRanges _ranges;

    internal BusMessageView(ReadOnlySpan<byte> body, BusFieldRanges ranges)
    {
        _body = body;
        _ranges = ranges;
    }

    /// <summary>Delivery priority.</summary>
    public WirePriority Priority => (WirePriority)_body[0];

    /// <summary>The seed's message type.</summary>
    public WireMessageType MessageType => (WireMessageType)_body[1];

    /// <summary>Creation time, Unix milliseconds.</summary>
    public long CreatedAtUnixMs => _ranges.CreatedAt;

    /// <summary>Expiry time, Unix milliseconds; 0 means never.</summary>
    public long ExpiresAtUnixMs => _ranges.ExpiresAt;

    /// <summary>Impact score in [0, 1].</summary>
    public double ImpactScore => _ranges.ImpactScore;

    /// <summary>message_id (UTF-8).</summary>
    public ReadOnlySpan<byte> MessageId => _body.Slice(_ranges.MessageIdOffset, _ranges.MessageIdLength);

    /// <summary>conversation_id (UTF-8, may be empty).</summary>
    public ReadOnlySpan<byte> ConversationId => _body.Slice(_ranges.ConversationIdOffset, _ranges.ConversationIdLength);

    /// <summary>from_agent (UTF-8).</summary>
    public ReadOnlySpan<byte> FromAgent => _body.Slice(_ranges.FromAgentOffset, _ranges.FromAgentLength);

    /// <summary>to_agent (UTF-8).</summary>
    public ReadOnlySpan<byte> ToAgent => _body.Slice(_ranges.ToAgentOffset, _ranges.ToAgentLength);

    /// <summary>tenant_id (UTF-8, may be empty).</summary>
    public ReadOnlySpan<byte> TenantId => _body.Slice(_ranges.TenantIdOffset, _ranges.TenantIdLength);

    /// <summary>constitutional_hash as sent (UTF-8, may be empty: the validator decides).</summary>
    public ReadOnlySpan<byte> ConstitutionalHash => _body.Slice(_ranges.HashOffset, _ranges.HashLength);

    /// <summary>The opaque payload.</summary>
    public ReadOnlySpan<byte> Payload => _body.Slice(_ranges.PayloadOffset, _ranges.PayloadLength);

    /// <summary>Whether the message carries trace context (<see cref="BusFrameFlagBits.TraceContext"/>).</summary>
    public bool HasTraceContext => _ranges.HasTraceContext;

    /// <summary>The W3C traceparent (55 ASCII bytes; empty without trace context).</summary>
    public ReadOnlySpan<byte> TraceParent => _body.Slice(_ranges.TraceParentOffset, _ranges.TraceParentLength);

    /// <summary>The W3C tracestate (may be empty).</summary>
    public ReadOnlySpan<byte> TraceState => _body.Slice(_ranges.TraceStateOffset, _ranges.TraceStateLength);

    /// <summary>Offsets of every field, for callers that keep the body and slice it later.</summary>
    public BusFieldRanges Ranges => _ranges;
}
