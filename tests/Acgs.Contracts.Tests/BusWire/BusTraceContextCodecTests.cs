// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Acgs.Contracts.BusWire;
using Xunit;

namespace Acgs.Contracts.Tests.BusWire;

public class BusTraceContextCodecTests
{
    private const string Parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    [Fact]
    public void WriteMessage_WithTraceContext_RoundTripsBothFieldsAndSetsTheFlag()
    {
        var bytes = Write(new BusTraceContext(Parent, "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7"));

        Assert.Equal(BusFrameFlagBits.TraceContext, (BusFrameFlagBits)bytes[BusWireConstants.FlagsOffset]);
        Assert.Equal(BusErrorCode.None, BusFrameParser.ParseMessage(Body(bytes), BusFrameFlagBits.TraceContext, out var view));
        Assert.True(view.HasTraceContext);
        Assert.Equal(Parent, Encoding.ASCII.GetString(view.TraceParent));
        Assert.Equal("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7", Encoding.ASCII.GetString(view.TraceState));
        Assert.Equal("payload!", Encoding.UTF8.GetString(view.Payload));
        Assert.Equal("m-1", Encoding.UTF8.GetString(view.MessageId));
        Assert.Equal(view.Ranges.TraceContextOffset + 2 + 55 + 39, bytes.Length - BusWireConstants.HeaderSize);
    }

    [Fact]
    public void WriteMessage_EmptyTraceContext_IsByteForByteThePlainFrame()
    {
        var plain = TestFrames.Message(TestFrames.Envelope(), "payload!"u8);

        var traced = Write(default);

        Assert.Equal(plain, traced);
        Assert.Equal(BusErrorCode.None, BusFrameParser.ParseMessage(Body(traced), out var view));
        Assert.False(view.HasTraceContext);
        Assert.True(view.TraceParent.IsEmpty);
    }

    [Fact]
    public void ParseMessage_EmptyTraceState_IsAccepted()
    {
        var bytes = Write(new BusTraceContext(Parent, string.Empty));

        Assert.Equal(BusErrorCode.None, BusFrameParser.ParseMessage(Body(bytes), BusFrameFlagBits.TraceContext, out var view));
        Assert.True(view.TraceState.IsEmpty);
        Assert.Equal(Parent, Encoding.ASCII.GetString(view.TraceParent));
    }

    [Fact]
    public void ParseMessage_TraceContextWithoutTheFlag_IsMalformedTrailingBytes()
    {
        var bytes = Write(new BusTraceContext(Parent, "a=b"));

        Assert.Equal(BusErrorCode.MalformedFrame, BusFrameParser.ParseMessage(Body(bytes), BusFrameFlagBits.None, out _));
    }

    [Fact]
    public void ParseMessage_FlagWithoutTraceContext_IsMalformed()
    {
        var bytes = TestFrames.Message();

        Assert.Equal(BusErrorCode.MalformedFrame, BusFrameParser.ParseMessage(Body(bytes), BusFrameFlagBits.TraceContext, out _));
    }

    [Fact]
    public void ParseMessage_ByteAfterTraceState_IsMalformed()
    {
        var bytes = Write(new BusTraceContext(Parent, "a=b"));
        var longer = bytes.Concat(new byte[] { 0 }).ToArray();

        Assert.Equal(BusErrorCode.MalformedFrame, BusFrameParser.ParseMessage(Body(longer), BusFrameFlagBits.TraceContext, out _));
    }

    [Fact]
    public void ParseMessage_EveryTruncation_IsMalformedNeverAnException()
    {
        var bytes = Write(new BusTraceContext(Parent, "a=b"));
        var payloadEnd = bytes.Length - (2 + 55 + 3);

        for (var end = payloadEnd; end < bytes.Length; end++)
        {
            Assert.Equal(BusErrorCode.MalformedFrame, BusFrameParser.ParseMessage(bytes.AsSpan(BusWireConstants.HeaderSize, end - BusWireConstants.HeaderSize), BusFrameFlagBits.TraceContext, out _));
        }
    }

    [Theory]
    [InlineData("01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")] // other version
    [InlineData("00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01")] // uppercase
    [InlineData("00-00000000000000000000000000000000-b7ad6b7169203331-01")] // zero trace id
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01")] // zero parent id
    [InlineData("00-0af7651916cd43dd8448eb211c80319c_b7ad6b7169203331-01")] // separator
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0g")] // flags
    public void ParseMessage_InvalidTraceParent_IsMalformed(string traceParent)
    {
        var bytes = Write(new BusTraceContext(Parent, "a=b"));
        Encoding.ASCII.GetBytes(traceParent).CopyTo(bytes, TraceParentAt(bytes));

        Assert.Equal(BusErrorCode.MalformedFrame, BusFrameParser.ParseMessage(Body(bytes), BusFrameFlagBits.TraceContext, out _));
    }

    [Theory]
    [InlineData(54, BusErrorCode.MalformedFrame)]
    [InlineData(56, BusErrorCode.FieldTooLarge)]
    [InlineData(0, BusErrorCode.MalformedFrame)]
    public void ParseMessage_TraceParentOfAnotherLength_IsRefused(int declared, BusErrorCode expected)
    {
        var bytes = Write(new BusTraceContext(Parent, "a=b"));
        bytes[TraceParentAt(bytes) - 1] = (byte)declared;

        Assert.Equal(expected, BusFrameParser.ParseMessage(Body(bytes), BusFrameFlagBits.TraceContext, out _));
    }

    [Fact]
    public void ParseMessage_ControlCharacterInTraceState_IsMalformed()
    {
        var bytes = Write(new BusTraceContext(Parent, "a=b"));
        bytes[^1] = 0x0A;

        Assert.Equal(BusErrorCode.MalformedFrame, BusFrameParser.ParseMessage(Body(bytes), BusFrameFlagBits.TraceContext, out _));
    }

    [Fact]
    public void ParseMessage_PayloadLengthPastTheBody_IsMalformed()
    {
        var bytes = Write(new BusTraceContext(Parent, "a=b"));
        BusFrameParser.ParseMessage(Body(bytes), BusFrameFlagBits.TraceContext, out var view);
        var lengthAt = BusWireConstants.HeaderSize + view.Ranges.PayloadOffset - 4;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(lengthAt), (uint)(bytes.Length));

        Assert.Equal(BusErrorCode.MalformedFrame, BusFrameParser.ParseMessage(Body(bytes), BusFrameFlagBits.TraceContext, out _));
    }

    [Theory]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331")]
    [InlineData("00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01")]
    public void WriteMessage_InvalidTraceParent_Throws(string traceParent)
    {
        Assert.Throws<ArgumentException>(() => Write(new BusTraceContext(traceParent, string.Empty)));
    }

    [Fact]
    public void WriteMessage_TraceStateOver255Bytes_Throws()
    {
        Assert.Throws<ArgumentException>(() => Write(new BusTraceContext(Parent, new string('a', 256))));
    }

    private static byte[] Write(BusTraceContext trace)
    {
        var writer = new ArrayBufferWriter<byte>();
        BusFrameWriter.WriteMessage(writer, BusFrameType.Send, TestFrames.Envelope(), "payload!"u8, trace);
        Assert.Equal(writer.WrittenCount, BusFrameWriter.MeasureMessage(TestFrames.Envelope(), 8, trace));
        return writer.WrittenSpan.ToArray();
    }

    private static ReadOnlySpan<byte> Body(byte[] frame) => frame.AsSpan(BusWireConstants.HeaderSize);

    private static int TraceParentAt(byte[] frame)
    {
        var plain = TestFrames.Message(TestFrames.Envelope(), "payload!"u8);
        return plain.Length + 1;
    }
}
