// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Buffers.Binary;

namespace Acgs.Contracts.BusWire;

/// <summary>
/// Finds frames in a byte stream. Works on <see cref="ReadOnlySequence{T}"/> (frames split across
/// pipe segments are fine) and never allocates.
/// </summary>
public static class BusFrameReader
{
    /// <summary>
    /// Looks for one whole frame at the start of <paramref name="buffer"/>. On
    /// <see cref="BusFrameReadStatus.Complete"/>, <paramref name="frame"/> is the frame (header and body)
    /// and the caller consumes up to <c>frame.End</c>. On <see cref="BusFrameReadStatus.Fatal"/>,
    /// <paramref name="error"/> says why (malformed_frame for a bad magic, unsupported_version,
    /// frame_too_large) and the connection must be closed.
    /// </summary>
    public static BusFrameReadStatus TryReadFrame(
        in ReadOnlySequence<byte> buffer,
        out BusFrameHeader header,
        out ReadOnlySequence<byte> frame,
        out BusErrorCode error)
    {
        header = default;
        frame = default;
        error = BusErrorCode.None;
        if (buffer.IsEmpty)
        {
            return BusFrameReadStatus.Incomplete;
        }

        var reader = new SequenceReader<byte>(buffer);
        if (buffer.FirstSpan.Length >= BusWireConstants.HeaderSize)
        {
            return Decide(TryReadHeader(buffer.FirstSpan, out header, out error), buffer, header, out frame);
        }

        Span<byte> scratch = stackalloc byte[BusWireConstants.HeaderSize];
        var available = (int)Math.Min(reader.Remaining, BusWireConstants.HeaderSize);
        reader.TryCopyTo(scratch[..available]);
        return Decide(TryReadHeader(scratch[..available], out header, out error), buffer, header, out frame);
    }

    /// <summary>
    /// Decodes a header from the first bytes of <paramref name="span"/>; checks magic, then version,
    /// then length, so a stream that is not this protocol is detected from its first byte.
    /// </summary>
    public static BusFrameReadStatus TryReadHeader(ReadOnlySpan<byte> span, out BusFrameHeader header, out BusErrorCode error)
    {
        header = default;
        error = BusErrorCode.None;
        if (span.IsEmpty)
        {
            return BusFrameReadStatus.Incomplete;
        }

        if (span[0] != BusWireConstants.Magic)
        {
            error = BusErrorCode.MalformedFrame;
            return BusFrameReadStatus.Fatal;
        }

        if (span.Length < 2)
        {
            return BusFrameReadStatus.Incomplete;
        }

        if (span[1] != BusWireConstants.Version)
        {
            error = BusErrorCode.UnsupportedVersion;
            return BusFrameReadStatus.Fatal;
        }

        if (span.Length < BusWireConstants.HeaderSize)
        {
            return BusFrameReadStatus.Incomplete;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(span[4..]);
        if (length > BusWireConstants.MaxBodyBytes)
        {
            error = BusErrorCode.FrameTooLarge;
            return BusFrameReadStatus.Fatal;
        }

        header = new BusFrameHeader((BusFrameType)span[2], (BusFrameFlagBits)span[3], (int)length);
        return BusFrameReadStatus.Complete;
    }

    private static BusFrameReadStatus Decide(
        BusFrameReadStatus headerStatus,
        in ReadOnlySequence<byte> buffer,
        BusFrameHeader header,
        out ReadOnlySequence<byte> frame)
    {
        frame = default;
        if (headerStatus != BusFrameReadStatus.Complete)
        {
            return headerStatus;
        }

        if (buffer.Length < header.FrameLength)
        {
            return BusFrameReadStatus.Incomplete;
        }

        frame = buffer.Slice(0, header.FrameLength);
        return BusFrameReadStatus.Complete;
    }
}
