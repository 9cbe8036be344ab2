// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Acgs.Contracts.BusWire;

/// <summary>
/// Encodes frames into an <see cref="IBufferWriter{T}"/> (a <c>PipeWriter</c> in practice) without
/// allocating. Arguments over a limit throw <see cref="ArgumentException"/>: a writer never produces
/// a frame the parser would reject for its sizes.
/// </summary>
public static partial class BusFrameWriter
{
    /// <summary>Writes the 8-byte header.</summary>
    public static void WriteHeader(Span<byte> destination, BusFrameType type, BusFrameFlagBits flags, int bodyLength)
    {
        destination[0] = BusWireConstants.Magic;
        destination[1] = BusWireConstants.Version;
        destination[2] = (byte)type;
        destination[3] = (byte)flags;
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], (uint)bodyLength);
    }

    /// <summary>Writes a register frame.</summary>
    public static void WriteRegister(IBufferWriter<byte> writer, string agentId, string tenantId, string constitutionalHash, BusFrameFlagBits flags = BusFrameFlagBits.None)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var a = CheckedCount(agentId, BusWireConstants.MaxIdBytes, nameof(agentId));
        var t = CheckedCount(tenantId, BusWireConstants.MaxIdBytes, nameof(tenantId));
        var h = CheckedCount(constitutionalHash, BusWireConstants.MaxHashBytes, nameof(constitutionalHash));
        var body = 3 + a + t + h;
        var span = writer.GetSpan(BusWireConstants.HeaderSize + body);
        WriteHeader(span, BusFrameType.Register, flags, body);
        var pos = BusWireConstants.HeaderSize;
        pos = PutString(span, pos, agentId);
        pos = PutString(span, pos, tenantId);
        pos = PutString(span, pos, constitutionalHash);
        writer.Advance(pos);
    }

    /// <summary>Writes an ack or register-ack frame carrying one id.</summary>
    public static void WriteIdFrame(IBufferWriter<byte> writer, BusFrameType type, ReadOnlySpan<byte> id, BusFrameFlagBits flags = BusFrameFlagBits.None)
    {
        ArgumentNullException.ThrowIfNull(writer);
        CheckLength(id.Length, BusWireConstants.MaxIdBytes, nameof(id));
        var body = 1 + id.Length;
        var span = writer.GetSpan(BusWireConstants.HeaderSize + body);
        WriteHeader(span, type, flags, body);
        span[BusWireConstants.HeaderSize] = (byte)id.Length;
        id.CopyTo(span[(BusWireConstants.HeaderSize + 1)..]);
        writer.Advance(BusWireConstants.HeaderSize + body);
    }

    /// <summary>Writes an ack frame (string id).</summary>
    public static void WriteAck(IBufferWriter<byte> writer, string messageId, BusFrameFlagBits flags = BusFrameFlagBits.None)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var n = CheckedCount(messageId, BusWireConstants.MaxIdBytes, nameof(messageId));
        var span = writer.GetSpan(BusWireConstants.HeaderSize + 1 + n);
        WriteHeader(span, BusFrameType.Ack, flags, 1 + n);
        var end = PutString(span, BusWireConstants.HeaderSize, messageId);
        writer.Advance(end);
    }

    /// <summary>Writes an error frame; <paramref name="detail"/> is truncated to 255 bytes.</summary>
    public static void WriteError(IBufferWriter<byte> writer, BusErrorCode code, ReadOnlySpan<byte> messageId, ReadOnlySpan<byte> detail)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (messageId.Length > BusWireConstants.MaxIdBytes)
        {
            messageId = default;
        }

        if (detail.Length > BusWireConstants.MaxDetailBytes)
        {
            detail = detail[..BusWireConstants.MaxDetailBytes];
        }

        var body = 1 + 1 + messageId.Length + 1 + detail.Length;
        var span = writer.GetSpan(BusWireConstants.HeaderSize + body);
        WriteHeader(span, BusFrameType.Error, BusFrameFlagBits.None, body);
        var pos = BusWireConstants.HeaderSize;
        span[pos++] = (byte)code;
        span[pos++] = (byte)messageId.Length;
        messageId.CopyTo(span[pos..]);
        pos += messageId.Length;
        span[pos++] = (byte)detail.Length;
        detail.CopyTo(span[pos..]);
        writer.Advance(pos + detail.Length);
    }

    /// <summary>Writes a ping or pong frame.</summary>
    public static void WritePing(IBufferWriter<byte> writer, BusFrameType type, ulong value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var span = writer.GetSpan(BusWireConstants.HeaderSize + BusWireConstants.PingBodyBytes);
        WriteHeader(span, type, BusFrameFlagBits.None, BusWireConstants.PingBodyBytes);
        BinaryPrimitives.WriteUInt64BigEndian(span[BusWireConstants.HeaderSize..], value);
        writer.Advance(BusWireConstants.HeaderSize + BusWireConstants.PingBodyBytes);
    }

    /// <summary>The encoded size of a message frame (header included).</summary>
    public static int MeasureMessage(in BusMessageEnvelope envelope, int payloadLength) => MeasureMessage(envelope, payloadLength, 0);

    private static int MeasureMessage(in BusMessageEnvelope envelope, int payloadLength, int traceBytes)
    {
        var body = BusWireConstants.MessageFixedBytes + 6
            + CheckedCount(envelope.MessageId, BusWireConstants.MaxIdBytes, nameof(envelope.MessageId))
            + CheckedCount(envelope.ConversationId, BusWireConstants.MaxIdBytes, nameof(envelope.ConversationId))
            + CheckedCount(envelope.FromAgent, BusWireConstants.MaxIdBytes, nameof(envelope.FromAgent))
            + CheckedCount(envelope.ToAgent, BusWireConstants.MaxIdBytes, nameof(envelope.ToAgent))
            + CheckedCount(envelope.TenantId, BusWireConstants.MaxIdBytes, nameof(envelope.TenantId))
            + CheckedCount(envelope.ConstitutionalHash, BusWireConstants.MaxHashBytes, nameof(envelope.ConstitutionalHash))
            + payloadLength + traceBytes;
        if (body > BusWireConstants.MaxBodyBytes)
        {
            throw new ArgumentException($"the message body would be {body} bytes; the limit is {BusWireConstants.MaxBodyBytes}", nameof(payloadLength));
        }

        return BusWireConstants.HeaderSize + body;
    }

    /// <summary>Writes a send (or deliver) frame.</summary>
    public static void WriteMessage(IBufferWriter<byte> writer, BusFrameType type, in BusMessageEnvelope envelope, ReadOnlySpan<byte> payload, BusFrameFlagBits flags = BusFrameFlagBits.None)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var total = MeasureMessage(envelope, payload.Length);
        var span = writer.GetSpan(total);
        WriteMessage(span, type, envelope, payload, flags);
        writer.Advance(total);
    }

    /// <summary>Writes a send (or deliver) frame into <paramref name="span"/>; returns the bytes written.</summary>
    public static int WriteMessage(Span<byte> span, BusFrameType type, in BusMessageEnvelope envelope, ReadOnlySpan<byte> payload, BusFrameFlagBits flags = BusFrameFlagBits.None) =>
        WriteMessage(span, type, envelope, payload, flags, 0);

    private static int WriteMessage(Span<byte> span, BusFrameType type, in BusMessageEnvelope envelope, ReadOnlySpan<byte> payload, BusFrameFlagBits flags, int traceBytes)
    {
        var total = MeasureMessage(envelope, payload.Length, traceBytes);
        if (!Enum.IsDefined(envelope.Priority) || !Enum.IsDefined(envelope.MessageType))
        {
            throw new ArgumentException("priority or message type out of range", nameof(envelope));
        }

        if (!(envelope.ImpactScore >= 0.0 && envelope.ImpactScore <= 1.0) || envelope.CreatedAtUnixMs < 0 || envelope.ExpiresAtUnixMs < 0)
        {
            throw new ArgumentException("impact_score must be in [0, 1] and times non-negative", nameof(envelope));
        }

        WriteHeader(span, type, flags, total - BusWireConstants.HeaderSize);
        var pos = BusWireConstants.HeaderSize;
        span[pos++] = (byte)envelope.Priority;
        span[pos++] = (byte)envelope.MessageType;
        BinaryPrimitives.WriteInt64BigEndian(span[pos..], envelope.CreatedAtUnixMs);
        pos += 8;
        BinaryPrimitives.WriteInt64BigEndian(span[pos..], envelope.ExpiresAtUnixMs);
        pos += 8;
        BinaryPrimitives.WriteDoubleBigEndian(span[pos..], envelope.ImpactScore);
        pos += 8;
        pos = PutString(span, pos, envelope.MessageId);
        pos = PutString(span, pos, envelope.ConversationId);
        pos = PutString(span, pos, envelope.FromAgent);
        pos = PutString(span, pos, envelope.ToAgent);
        pos = PutString(span, pos, envelope.TenantId);
        pos = PutString(span, pos, envelope.ConstitutionalHash);
        BinaryPrimitives.WriteUInt32BigEndian(span[pos..], (uint)payload.Length);
        pos += 4;
        payload.CopyTo(span[pos..]);
        return pos + payload.Length;
    }

    private static int PutString(Span<byte> span, int pos, string? value)
    {
        var n = Encoding.UTF8.GetBytes(value ?? string.Empty, span[(pos + 1)..]);
        span[pos] = (byte)n;
        return pos + 1 + n;
    }

    private static int CheckedCount(string? value, int limit, string name)
    {
        var n = value is null ? 0 : Encoding.UTF8.GetByteCount(value);
        CheckLength(n, limit, name);
        return n;
    }

    private static void CheckLength(int length, int limit, string name)
    {
        if (length > limit)
        {
            throw new ArgumentException($"{name} is {length} bytes; the limit is {limit}", name);
        }
    }
}
