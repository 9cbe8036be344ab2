// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using Acgs.Contracts.BusWire;
using Acgs.Core;

namespace Acgs.Contracts.Tests.BusWire;

/// <summary>Builders for frames and multi-segment sequences used by the codec tests.</summary>
internal static class TestFrames
{
    public static BusMessageEnvelope Envelope(string id = "m-1", string from = "agent-a", string to = "agent-b", string tenant = "t1") =>
        new(id, from, to, tenant, AcgsConstants.ConstitutionalHash)
        {
            ConversationId = "conv-1",
            MessageType = WireMessageType.TaskRequest,
            Priority = WirePriority.High,
            CreatedAtUnixMs = 1_700_000_000_000,
            ExpiresAtUnixMs = 1_700_000_060_000,
            ImpactScore = 0.25,
        };

    public static byte[] Message(BusMessageEnvelope envelope, ReadOnlySpan<byte> payload, BusFrameType type = BusFrameType.Send)
    {
        var writer = new ArrayBufferWriter<byte>();
        BusFrameWriter.WriteMessage(writer, type, envelope, payload);
        return writer.WrittenSpan.ToArray();
    }

    public static byte[] Message() => Message(Envelope(), "hello"u8);

    /// <summary>The sequence of <paramref name="data"/> cut at the given lengths (the rest is the last segment).</summary>
    public static ReadOnlySequence<byte> Split(byte[] data, params int[] cuts)
    {
        var chunks = new List<byte[]>();
        var offset = 0;
        foreach (var cut in cuts)
        {
            var length = Math.Min(cut, data.Length - offset);
            chunks.Add(data.AsSpan(offset, length).ToArray());
            offset += length;
        }

        chunks.Add(data.AsSpan(offset).ToArray());
        var first = new Segment(chunks[0], 0);
        var last = first;
        for (var i = 1; i < chunks.Count; i++)
        {
            last = last.Append(chunks[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] data) =>
        Split(data, Enumerable.Repeat(1, Math.Max(0, data.Length - 1)).ToArray());

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
