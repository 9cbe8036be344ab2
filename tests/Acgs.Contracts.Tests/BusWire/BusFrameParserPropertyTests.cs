// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using Acgs.Contracts.BusWire;
using CsCheck;
using Xunit;

namespace Acgs.Contracts.Tests.BusWire;

/// <summary>
/// Property-based tests of the frame parser: random and mutated frames never crash it, a frame is
/// either decoded whole or rejected with a code (never half-decoded), and targeted corruptions get
/// exactly the documented code.
/// </summary>
public class BusFrameParserPropertyTests
{
    private const string IdChars = "abcdefghijklmnopqrstuvwxyz0123456789-_:é";

    private static readonly Gen<string> Id = Gen.Char[IdChars].Array[1, 40].Select(chars => new string(chars));

    private static readonly Gen<BusMessageEnvelope> Envelopes =
        Gen.Select(Id, Id, Id, Id, Gen.Int[0, 3], Gen.Int[0, 11], Gen.Long[0, 4_000_000_000_000], Gen.Double[0, 1])
        .Select(t => new BusMessageEnvelope(t.Item1, t.Item2, t.Item3, t.Item4, "cdd01ef066bc6cf2")
        {
            Priority = (WirePriority)t.Item5,
            MessageType = (WireMessageType)t.Item6,
            CreatedAtUnixMs = t.Item7,
            ImpactScore = t.Item8,
        });

    private static readonly Gen<byte[]> Frames =
        Gen.Select(Envelopes, Gen.Byte.Array[0, 300]).Select((envelope, payload) => TestFrames.Message(envelope, payload));

    [Fact]
    public void RandomBytes_NeverThrow_AndDecodeConsistently()
    {
        Gen.Byte.Array[0, 600].Sample(bytes =>
        {
            var status = BusFrameReader.TryReadFrame(new ReadOnlySequence<byte>(bytes), out var header, out var frame, out var error);
            Assert.Equal(status == BusFrameReadStatus.Fatal, error != BusErrorCode.None);
            if (status == BusFrameReadStatus.Complete)
            {
                Assert.Equal(header.FrameLength, frame.Length);
            }

            var body = bytes.AsSpan(Math.Min(bytes.Length, BusWireConstants.HeaderSize));
            AssertParseIsAllOrNothing(body);
            _ = BusFrameParser.ParseRegister(body, out _);
            _ = BusFrameParser.ParseError(body, out _);
            _ = BusFrameParser.ParseId(body, out _);
            _ = BusFrameParser.ParsePing(body, out _);
        }, iter: 5000);
    }

    [Fact]
    public void ValidFrames_RoundTrip_WhateverTheSegmentation()
    {
        Gen.Select(Frames, Gen.Int[1, 64]).Sample((bytes, cut) =>
        {
            var sequence = TestFrames.Split(bytes, Enumerable.Repeat(cut, bytes.Length / cut).ToArray());
            Assert.Equal(BusFrameReadStatus.Complete, BusFrameReader.TryReadFrame(sequence, out var header, out var frame, out _));
            Assert.Equal(bytes, frame.ToArray());
            Assert.Equal(BusErrorCode.None, BusFrameParser.ParseMessage(bytes.AsSpan(BusWireConstants.HeaderSize), out var view));
            Assert.Equal(bytes.Length - BusWireConstants.HeaderSize, header.BodyLength);
            Assert.Equal(bytes, Reencode(view));
        }, iter: 1000);
    }

    [Fact]
    public void MutatedFrames_NeverThrow_AndNeverHalfDecode()
    {
        Gen.Select(Frames, Gen.Int[0, 10_000], Gen.Byte).Sample((bytes, position, value) =>
        {
            var mutated = (byte[])bytes.Clone();
            mutated[position % mutated.Length] = value;
            var status = BusFrameReader.TryReadFrame(new ReadOnlySequence<byte>(mutated), out var header, out _, out var error);
            if (status == BusFrameReadStatus.Fatal)
            {
                Assert.True(position % mutated.Length < BusWireConstants.HeaderSize, "only a header byte can make a frame fatal");
                Assert.Contains(error, new[] { BusErrorCode.MalformedFrame, BusErrorCode.UnsupportedVersion, BusErrorCode.FrameTooLarge });
                return;
            }

            if (status == BusFrameReadStatus.Complete)
            {
                AssertParseIsAllOrNothing(mutated.AsSpan(BusWireConstants.HeaderSize, header.BodyLength));
            }
        }, iter: 5000);
    }

    [Fact]
    public void OversizedIdLength_IsAlwaysFieldTooLarge()
    {
        Gen.Select(Frames, Gen.Int[0, 4], Gen.Int[BusWireConstants.MaxIdBytes + 1, 255]).Sample((bytes, field, length) =>
        {
            var body = bytes.AsSpan(BusWireConstants.HeaderSize).ToArray();
            var position = 26;
            for (var i = 0; i < field; i++)
            {
                position += 1 + body[position];
            }

            body[position] = (byte)length;
            Assert.Equal(BusErrorCode.FieldTooLarge, BusFrameParser.ParseMessage(body, out _));
        }, iter: 1000);
    }

    [Fact]
    public void TruncatedOrExtendedBody_IsAlwaysMalformed()
    {
        Gen.Select(Frames, Gen.Int[1, 50], Gen.Bool).Sample((bytes, delta, extend) =>
        {
            var body = bytes.AsSpan(BusWireConstants.HeaderSize).ToArray();
            var changed = extend ? body.Concat(new byte[delta]).ToArray() : body[..Math.Max(0, body.Length - delta)];
            Assert.Equal(BusErrorCode.MalformedFrame, BusFrameParser.ParseMessage(changed, out _));
        }, iter: 1000);
    }

    [Fact]
    public void ConcatenatedFrames_SplitAnywhere_AreReadInOrder()
    {
        Gen.Select(Frames.Array[1, 6], Gen.Int[1, 97]).Sample((frames, cut) =>
        {
            var all = frames.SelectMany(f => f).ToArray();
            var sequence = TestFrames.Split(all, Enumerable.Repeat(cut, all.Length / cut).ToArray());
            var index = 0;
            while (BusFrameReader.TryReadFrame(sequence, out _, out var frame, out _) == BusFrameReadStatus.Complete)
            {
                Assert.Equal(frames[index++], frame.ToArray());
                sequence = sequence.Slice(frame.End);
            }

            Assert.Equal(frames.Length, index);
            Assert.True(sequence.IsEmpty);
        }, iter: 500);
    }

    private static void AssertParseIsAllOrNothing(ReadOnlySpan<byte> body)
    {
        var code = BusFrameParser.ParseMessage(body, out var view);
        if (code == BusErrorCode.None)
        {
            Assert.False(view.MessageId.IsEmpty);
            Assert.False(view.ToAgent.IsEmpty);
            Assert.Equal(body.Length, view.Ranges.PayloadOffset + view.Ranges.PayloadLength);
            Assert.Equal(body.ToArray(), Reencode(view).AsSpan(BusWireConstants.HeaderSize).ToArray());
        }
        else
        {
            Assert.True(view.MessageId.IsEmpty && view.Payload.IsEmpty, "a rejected message exposes nothing");
            Assert.Contains(code, new[] { BusErrorCode.MalformedFrame, BusErrorCode.FieldTooLarge });
        }
    }

    private static byte[] Reencode(BusMessageView view)
    {
        var envelope = new BusMessageEnvelope(
            System.Text.Encoding.UTF8.GetString(view.MessageId),
            System.Text.Encoding.UTF8.GetString(view.FromAgent),
            System.Text.Encoding.UTF8.GetString(view.ToAgent),
            System.Text.Encoding.UTF8.GetString(view.TenantId),
            System.Text.Encoding.UTF8.GetString(view.ConstitutionalHash))
        {
            ConversationId = System.Text.Encoding.UTF8.GetString(view.ConversationId),
            Priority = view.Priority,
            MessageType = view.MessageType,
            CreatedAtUnixMs = view.CreatedAtUnixMs,
            ExpiresAtUnixMs = view.ExpiresAtUnixMs,
            ImpactScore = view.ImpactScore,
        };
        return TestFrames.Message(envelope, view.Payload);
    }
}
