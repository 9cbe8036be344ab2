// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers.Binary;

namespace Acgs.Contracts.BusWire;

/// <summary>
/// Decodes frame bodies into views over the caller's contiguous buffer. Never allocates, never
/// throws on bad input: every problem maps to one <see cref="BusErrorCode"/>. Fields are checked in
/// wire order and the first failing check wins; for a string its length limit is checked before
/// its bounds (a declared length over the limit is field_too_large even when the bytes are missing).
/// </summary>
public static partial class BusFrameParser
{
    private const int MaxMessageType = (int)WireMessageType.AuditLog;
    private const int MaxPriority = (int)WirePriority.Critical;

    /// <summary>Parses a send or deliver body without trace context (header flags without <see cref="BusFrameFlagBits.TraceContext"/>).</summary>
    public static BusErrorCode ParseMessage(ReadOnlySpan<byte> body, out BusMessageView view) =>
        ParseMessage(body, BusFrameFlagBits.None, out view);

    /// <summary>
    /// Parses a send or deliver body; with <see cref="BusFrameFlagBits.TraceContext"/> in <paramref name="flags"/> the
    /// payload is followed by <c>str8 traceparent</c> and <c>str8 tracestate</c>, and nothing after them.
    /// </summary>
    public static BusErrorCode ParseMessage(ReadOnlySpan<byte> body, BusFrameFlagBits flags, out BusMessageView view)
    {
        view = default;
        const int fixedHead = BusWireConstants.MessageFixedBytes - 4;
        if (body.Length < fixedHead)
        {
            return BusErrorCode.MalformedFrame;
        }

        if (body[0] > MaxPriority || body[1] > MaxMessageType)
        {
            return BusErrorCode.MalformedFrame;
        }

        var created = BinaryPrimitives.ReadInt64BigEndian(body[2..]);
        var expires = BinaryPrimitives.ReadInt64BigEndian(body[10..]);
        var impact = BinaryPrimitives.ReadDoubleBigEndian(body[18..]);
        if (!(impact >= 0.0 && impact <= 1.0) || created < 0 || expires < 0)
        {
            return BusErrorCode.MalformedFrame;
        }

        var pos = fixedHead;
        BusErrorCode code;
        if ((code = ReadId(body, ref pos, BusWireConstants.MaxIdBytes, required: true, out var idOff, out var idLen)) != BusErrorCode.None ||
            (code = ReadId(body, ref pos, BusWireConstants.MaxIdBytes, required: false, out var convOff, out var convLen)) != BusErrorCode.None ||
            (code = ReadId(body, ref pos, BusWireConstants.MaxIdBytes, required: true, out var fromOff, out var fromLen)) != BusErrorCode.None ||
            (code = ReadId(body, ref pos, BusWireConstants.MaxIdBytes, required: true, out var toOff, out var toLen)) != BusErrorCode.None ||
            (code = ReadId(body, ref pos, BusWireConstants.MaxIdBytes, required: false, out var tenantOff, out var tenantLen)) != BusErrorCode.None ||
            (code = ReadId(body, ref pos, BusWireConstants.MaxHashBytes, required: false, out var hashOff, out var hashLen)) != BusErrorCode.None)
        {
            return code;
        }

        if (body.Length - pos < 4)
        {
            return BusErrorCode.MalformedFrame;
        }

        var payloadLength = BinaryPrimitives.ReadUInt32BigEndian(body[pos..]);
        pos += 4;
        var traced = (flags & BusFrameFlagBits.TraceContext) != 0;
        if (traced ? payloadLength > (uint)(body.Length - pos) : payloadLength != (uint)(body.Length - pos))
        {
            return BusErrorCode.MalformedFrame;
        }

        int parentOff = 0, parentLen = 0, stateOff = 0, stateLen = 0;
        if (traced && (code = ReadTraceContext(body, pos + (int)payloadLength, out parentOff, out parentLen, out stateOff, out stateLen)) != BusErrorCode.None)
        {
            return code;
        }

        var ranges = new BusFieldRanges
        {
            CreatedAt = created,
            ExpiresAt = expires,
            ImpactScore = impact,
            MessageIdOffset = idOff,
            MessageIdLength = idLen,
            ConversationIdOffset = convOff,
            ConversationIdLength = convLen,
            FromAgentOffset = fromOff,
            FromAgentLength = fromLen,
            ToAgentOffset = toOff,
            ToAgentLength = toLen,
            TenantIdOffset = tenantOff,
            TenantIdLength = tenantLen,
            HashOffset = hashOff,
            HashLength = hashLen,
            PayloadOffset = pos,
            PayloadLength = (int)payloadLength,
            TraceParentOffset = parentOff,
            TraceParentLength = parentLen,
            TraceStateOffset = stateOff,
            TraceStateLength = stateLen,
        };
        view = new BusMessageView(body, ranges);
        return BusErrorCode.None;
    }

    /// <summary>Parses a register body: agent id (required), tenant, hash; nothing may follow.</summary>
    public static BusErrorCode ParseRegister(ReadOnlySpan<byte> body, out BusRegisterView view)
    {
        view = default;
        var pos = 0;
        BusErrorCode code;
        if ((code = ReadId(body, ref pos, BusWireConstants.MaxIdBytes, required: true, out var agentOff, out var agentLen)) != BusErrorCode.None ||
            (code = ReadId(body, ref pos, BusWireConstants.MaxIdBytes, required: false, out var tenantOff, out var tenantLen)) != BusErrorCode.None ||
            (code = ReadId(body, ref pos, BusWireConstants.MaxHashBytes, required: false, out var hashOff, out var hashLen)) != BusErrorCode.None)
        {
            return code;
        }

        if (pos != body.Length)
        {
            return BusErrorCode.MalformedFrame;
        }

        view = new BusRegisterView(body.Slice(agentOff, agentLen), body.Slice(tenantOff, tenantLen), body.Slice(hashOff, hashLen));
        return BusErrorCode.None;
    }

    /// <summary>Parses an ack or register-ack body: one required id, nothing after it.</summary>
    public static BusErrorCode ParseId(ReadOnlySpan<byte> body, out ReadOnlySpan<byte> id)
    {
        id = default;
        var pos = 0;
        var code = ReadId(body, ref pos, BusWireConstants.MaxIdBytes, required: true, out var off, out var len);
        if (code != BusErrorCode.None)
        {
            return code;
        }

        if (pos != body.Length)
        {
            return BusErrorCode.MalformedFrame;
        }

        id = body.Slice(off, len);
        return BusErrorCode.None;
    }

    /// <summary>Parses an error body: code byte, message id (may be empty), detail text.</summary>
    public static BusErrorCode ParseError(ReadOnlySpan<byte> body, out BusErrorView view)
    {
        view = default;
        if (body.IsEmpty)
        {
            return BusErrorCode.MalformedFrame;
        }

        var pos = 1;
        BusErrorCode code;
        if ((code = ReadId(body, ref pos, BusWireConstants.MaxIdBytes, required: false, out var idOff, out var idLen)) != BusErrorCode.None ||
            (code = ReadId(body, ref pos, BusWireConstants.MaxDetailBytes, required: false, out var detailOff, out var detailLen)) != BusErrorCode.None)
        {
            return code;
        }

        if (pos != body.Length)
        {
            return BusErrorCode.MalformedFrame;
        }

        view = new BusErrorView((BusErrorCode)body[0], body.Slice(idOff, idLen), body.Slice(detailOff, detailLen));
        return BusErrorCode.None;
    }

    /// <summary>Parses a ping or pong body: exactly 8 bytes.</summary>
    public static BusErrorCode ParsePing(ReadOnlySpan<byte> body, out ulong value)
    {
        value = 0;
        if (body.Length != BusWireConstants.PingBodyBytes)
        {
            return BusErrorCode.MalformedFrame;
        }

        value = BinaryPrimitives.ReadUInt64BigEndian(body);
        return BusErrorCode.None;
    }
}
