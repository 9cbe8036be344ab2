// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using Acgs.Contracts.BusWire;
using Acgs.Core;

namespace Acgs.Benchmarks.Bus;

/// <summary>Frames and segmented sequences for the bus benchmarks.</summary>
internal static class BusBenchmarkFrames
{
    public static byte[] Send(string from, string to, string id, BusTraceContext trace = default)
    {
        var writer = new ArrayBufferWriter<byte>();
        BusFrameWriter.WriteMessage(writer, BusFrameType.Send, new BusMessageEnvelope(id, from, to, string.Empty, AcgsConstants.ConstitutionalHash)
        {
            MessageType = WireMessageType.Event,
            CreatedAtUnixMs = 1_700_000_000_000,
        }, new byte[128], trace);
        return writer.WrittenSpan.ToArray();
    }

    public static ReadOnlySequence<byte> Split(byte[] data, params int[] cuts)
    {
        var first = new Segment(data.AsMemory(0, cuts[0]), 0);
        var last = first;
        var offset = cuts[0];
        for (var i = 1; i <= cuts.Length; i++)
        {
            var end = i < cuts.Length ? cuts[i] : data.Length;
            last = last.Append(data.AsMemory(offset, end - offset));
            offset = end;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

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
