// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Acgs.Contracts.BusWire;
using Acgs.Core;
using Xunit;

namespace Acgs.Contracts.Tests.BusWire;

public class BusFrameCodecTests
{
    [Fact]
    public void WriteMessage_ThenReadAndParse_RoundTripsEveryField()
    {
        var envelope = TestFrames.Envelope();
        var bytes = TestFrames.Message(envelope, "payload!"u8);

        var status = BusFrameReader.TryReadFrame(new ReadOnlySequence<byte>(bytes), out var header, out var frame, out var error);

        Assert.Equal(BusFrameReadStatus.Complete, status);
        Assert.Equal(BusErrorCode.None, error);
        Assert.Equal(BusFrameType.Send, header.Type);
        Assert.Equal(bytes.Length, frame.Length);
        Assert.Equal(BusErrorCode.None, BusFrameParser.ParseMessage(bytes.AsSpan(BusWireConstants.HeaderSize), out var view));
        Assert.Equal("m-1", Encoding.UTF8.GetString(view.MessageId));
        Assert.Equal("conv-1", Encoding.UTF8.GetString(view.ConversationId));
        Assert.Equal("agent-a", Encoding.UTF8.GetString(view.FromAgent));
        Assert.Equal("agent-b", Encoding.UTF8.GetString(view.ToAgent));
        Assert.Equal("t1", Encoding.UTF8.GetString(view.TenantId));
        Assert.Equal(AcgsConstants.ConstitutionalHash, Encoding.UTF8.GetString(view.ConstitutionalHash));
        Assert.Equal(WireMessageType.TaskRequest, view.MessageType);
        Assert.Equal(WirePriority.High, view.Priority);
        Assert.Equal(1_700_000_000_000, view.CreatedAtUnixMs);
        Assert.Equal(1_700_000_060_000, view.ExpiresAtUnixMs);
        Assert.Equal(0.25, view.ImpactScore);
        Assert.Equal("payload!", Encoding.UTF8.GetString(view.Payload));
    }

    [Fact]
    public void TryReadFrame_FrameSplitOneBytePerSegment_IsComplete()
    {
        var bytes = TestFrames.Message();
        var sequence = TestFrames.OneBytePerSegment(bytes);

        var status = BusFrameReader.TryReadFrame(sequence, out var header, out var frame, out _);

        Assert.Equal(BusFrameReadStatus.Complete, status);
        Assert.Equal(bytes.Length - BusWireConstants.HeaderSize, header.BodyLength);
        Assert.Equal(bytes, frame.ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(20)]
    public void TryReadFrame_Prefix_IsIncomplete(int length)
    {
        var bytes = TestFrames.Message();

        var status = BusFrameReader.TryReadFrame(new ReadOnlySequence<byte>(bytes, 0, length), out _, out _, out var error);

        Assert.Equal(BusFrameReadStatus.Incomplete, status);
        Assert.Equal(BusErrorCode.None, error);
    }

    [Fact]
    public void TryReadFrame_HttpRequest_IsFatalMalformedFromTheFirstByte()
    {
        var status = BusFrameReader.TryReadFrame(new ReadOnlySequence<byte>("G"u8.ToArray()), out _, out _, out var error);

        Assert.Equal(BusFrameReadStatus.Fatal, status);
        Assert.Equal(BusErrorCode.MalformedFrame, error);
    }

    [Fact]
    public void TryReadFrame_OtherVersion_IsFatalUnsupportedVersion()
    {
        var bytes = TestFrames.Message();
        bytes[1] = 2;

        var status = BusFrameReader.TryReadFrame(new ReadOnlySequence<byte>(bytes), out _, out _, out var error);

        Assert.Equal(BusFrameReadStatus.Fatal, status);
        Assert.Equal(BusErrorCode.UnsupportedVersion, error);
    }

    [Fact]
    public void TryReadFrame_LengthOverLimit_IsFatalFrameTooLarge()
    {
        var header = new byte[BusWireConstants.HeaderSize];
        BusFrameWriter.WriteHeader(header, BusFrameType.Send, BusFrameFlagBits.None, BusWireConstants.MaxBodyBytes + 1);

        var status = BusFrameReader.TryReadFrame(new ReadOnlySequence<byte>(header), out _, out _, out var error);

        Assert.Equal(BusFrameReadStatus.Fatal, status);
        Assert.Equal(BusErrorCode.FrameTooLarge, error);
        Assert.True(error.IsFatal());
    }

    [Fact]
    public void ParseMessage_IdLengthOverLimit_IsFieldTooLarge()
    {
        var bytes = TestFrames.Message();
        bytes[BusWireConstants.HeaderSize + 26] = BusWireConstants.MaxIdBytes + 1;

        Assert.Equal(BusErrorCode.FieldTooLarge, BusFrameParser.ParseMessage(bytes.AsSpan(BusWireConstants.HeaderSize), out _));
    }

    [Fact]
    public void ParseMessage_PayloadLengthDisagreesWithFrame_IsMalformed()
    {
        var bytes = TestFrames.Message();
        var body = bytes.AsSpan(BusWireConstants.HeaderSize);
        BinaryPrimitives.WriteUInt32BigEndian(body[^9..], 6);

        Assert.Equal(BusErrorCode.MalformedFrame, BusFrameParser.ParseMessage(body, out _));
    }

    [Theory]
    [InlineData(0, 4)]
    [InlineData(1, 12)]
    public void ParseMessage_PriorityOrTypeOutOfRange_IsMalformed(int offset, byte value)
    {
        var bytes = TestFrames.Message();
        bytes[BusWireConstants.HeaderSize + offset] = value;

        Assert.Equal(BusErrorCode.MalformedFrame, BusFrameParser.ParseMessage(bytes.AsSpan(BusWireConstants.HeaderSize), out _));
    }

    [Fact]
    public void ParseMessage_ImpactScoreNaN_IsMalformed()
    {
        var bytes = TestFrames.Message();
        BinaryPrimitives.WriteDoubleBigEndian(bytes.AsSpan(BusWireConstants.HeaderSize + 18), double.NaN);

        Assert.Equal(BusErrorCode.MalformedFrame, BusFrameParser.ParseMessage(bytes.AsSpan(BusWireConstants.HeaderSize), out _));
    }

    [Fact]
    public void ParseMessage_EmptyMessageId_IsMalformed()
    {
        var bytes = TestFrames.Message(TestFrames.Envelope(id: string.Empty), "x"u8);

        Assert.Equal(BusErrorCode.MalformedFrame, BusFrameParser.ParseMessage(bytes.AsSpan(BusWireConstants.HeaderSize), out _));
    }

    [Fact]
    public void ParseMessage_InvalidUtf8InId_IsMalformed()
    {
        var bytes = TestFrames.Message(TestFrames.Envelope(id: "ab"), "x"u8);
        bytes[BusWireConstants.HeaderSize + 27] = 0xFF;

        Assert.Equal(BusErrorCode.MalformedFrame, BusFrameParser.ParseMessage(bytes.AsSpan(BusWireConstants.HeaderSize), out _));
    }

    [Fact]
    public void WriteMessage_IdOverLimit_Throws()
    {
        var envelope = TestFrames.Envelope(id: new string('x', BusWireConstants.MaxIdBytes + 1));

        Assert.Throws<ArgumentException>(() => TestFrames.Message(envelope, default));
    }

    [Fact]
    public void Register_RoundTrips()
    {
        var writer = new ArrayBufferWriter<byte>();
        BusFrameWriter.WriteRegister(writer, "agent-a", "tenant", AcgsConstants.ConstitutionalHash, BusFrameFlagBits.PeerLink);
        var bytes = writer.WrittenSpan.ToArray();

        Assert.Equal(BusFrameReadStatus.Complete, BusFrameReader.TryReadFrame(new ReadOnlySequence<byte>(bytes), out var header, out _, out _));
        Assert.Equal(BusFrameType.Register, header.Type);
        Assert.Equal(BusFrameFlagBits.PeerLink, header.Flags);
        Assert.Equal(BusErrorCode.None, BusFrameParser.ParseRegister(bytes.AsSpan(BusWireConstants.HeaderSize), out var view));
        Assert.Equal("agent-a", Encoding.UTF8.GetString(view.AgentId));
        Assert.Equal("tenant", Encoding.UTF8.GetString(view.TenantId));
        Assert.Equal(AcgsConstants.ConstitutionalHash, Encoding.UTF8.GetString(view.ConstitutionalHash));
    }

    [Fact]
    public void Register_TrailingByte_IsMalformed()
    {
        var writer = new ArrayBufferWriter<byte>();
        BusFrameWriter.WriteRegister(writer, "a", "t", "h");
        var body = writer.WrittenSpan[BusWireConstants.HeaderSize..].ToArray().Append((byte)0).ToArray();

        Assert.Equal(BusErrorCode.MalformedFrame, BusFrameParser.ParseRegister(body, out _));
    }

    [Fact]
    public void ErrorAndAckAndPing_RoundTrip()
    {
        var writer = new ArrayBufferWriter<byte>();
        BusFrameWriter.WriteError(writer, BusErrorCode.Busy, "m-9"u8, "full"u8);
        var error = writer.WrittenSpan.ToArray();
        writer.ResetWrittenCount();
        BusFrameWriter.WriteAck(writer, "m-9", BusFrameFlagBits.Stored);
        var ack = writer.WrittenSpan.ToArray();
        writer.ResetWrittenCount();
        BusFrameWriter.WritePing(writer, BusFrameType.Ping, 42);
        var ping = writer.WrittenSpan.ToArray();

        Assert.Equal(BusErrorCode.None, BusFrameParser.ParseError(error.AsSpan(BusWireConstants.HeaderSize), out var errorView));
        Assert.Equal(BusErrorCode.Busy, errorView.Code);
        Assert.Equal("m-9", Encoding.UTF8.GetString(errorView.MessageId));
        Assert.Equal("full", Encoding.UTF8.GetString(errorView.Detail));
        Assert.Equal(BusErrorCode.None, BusFrameParser.ParseId(ack.AsSpan(BusWireConstants.HeaderSize), out var id));
        Assert.Equal("m-9", Encoding.UTF8.GetString(id));
        Assert.Equal((byte)BusFrameFlagBits.Stored, ack[BusWireConstants.FlagsOffset]);
        Assert.Equal(BusErrorCode.None, BusFrameParser.ParsePing(ping.AsSpan(BusWireConstants.HeaderSize), out var value));
        Assert.Equal(42UL, value);
    }

    [Theory]
    [InlineData(BusErrorCode.HashMismatch, "hash_mismatch", false)]
    [InlineData(BusErrorCode.FrameTooLarge, "frame_too_large", true)]
    [InlineData(BusErrorCode.UnsupportedVersion, "unsupported_version", true)]
    [InlineData(BusErrorCode.Busy, "busy", false)]
    public void ErrorCode_WireNameAndFatality(BusErrorCode code, string name, bool fatal)
    {
        Assert.Equal(name, code.ToWireName());
        Assert.Equal(fatal, code.IsFatal());
    }
}
