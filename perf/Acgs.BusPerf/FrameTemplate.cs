// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Buffers.Binary;
using Acgs.Contracts.BusWire;
using Acgs.Core;

namespace Acgs.BusPerf;

/// <summary>A pre-encoded send frame whose id (16 hex digits) and first 8 payload bytes (intended send time) are patched per message.</summary>
internal sealed class FrameTemplate
{
    private const int IdDigits = 16;
    private readonly byte[] _frame;
    private readonly int _idOffset;
    private readonly int _payloadOffset;

    public FrameTemplate(string from, string to, string tenant, int payloadBytes)
    {
        var envelope = new BusMessageEnvelope(new string('0', IdDigits), from, to, tenant, AcgsConstants.ConstitutionalHash)
        {
            MessageType = WireMessageType.Event,
            Priority = WirePriority.Normal,
            CreatedAtUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };
        var writer = new ArrayBufferWriter<byte>();
        BusFrameWriter.WriteMessage(writer, BusFrameType.Send, envelope, new byte[payloadBytes]);
        _frame = writer.WrittenSpan.ToArray();
        BusFrameParser.ParseMessage(_frame.AsSpan(BusWireConstants.HeaderSize), out var view);
        _idOffset = BusWireConstants.HeaderSize + view.Ranges.MessageIdOffset;
        _payloadOffset = BusWireConstants.HeaderSize + view.Ranges.PayloadOffset;
    }

    public int Length => _frame.Length;

    /// <summary>Writes the frame for message <paramref name="sequence"/> intended at <paramref name="intendedTicks"/>.</summary>
    public void Fill(Span<byte> destination, long sequence, long intendedTicks)
    {
        _frame.CopyTo(destination);
        var id = destination.Slice(_idOffset, IdDigits);
        for (var i = IdDigits - 1; i >= 0; i--)
        {
            id[i] = (byte)"0123456789abcdef"[(int)(sequence & 0xF)];
            sequence >>= 4;
        }

        BinaryPrimitives.WriteInt64LittleEndian(destination[_payloadOffset..], intendedTicks);
    }

    /// <summary>The intended send time carried by a payload.</summary>
    public static long IntendedTicks(ReadOnlySpan<byte> payload) => BinaryPrimitives.ReadInt64LittleEndian(payload);
}
