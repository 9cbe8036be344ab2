// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Text;

namespace Acgs.Contracts.BusWire;

/// <summary>Messages carrying W3C trace context after the payload (<see cref="BusFrameFlagBits.TraceContext"/>).</summary>
public static partial class BusFrameWriter
{
    /// <summary>
    /// The encoded size of a message frame with <paramref name="trace"/> (header included; the size without when
    /// <paramref name="trace"/> is empty). Throws when a field is over its limit.
    /// </summary>
    public static int MeasureMessage(in BusMessageEnvelope envelope, int payloadLength, in BusTraceContext trace) =>
        MeasureMessage(envelope, payloadLength, TraceBytes(trace));

    /// <summary>
    /// Writes a send (or deliver) frame carrying <paramref name="trace"/> (and the <see cref="BusFrameFlagBits.TraceContext"/>
    /// flag); an empty <paramref name="trace"/> writes the plain frame. A malformed traceparent or tracestate throws.
    /// </summary>
    public static void WriteMessage(IBufferWriter<byte> writer, BusFrameType type, in BusMessageEnvelope envelope, ReadOnlySpan<byte> payload, in BusTraceContext trace, BusFrameFlagBits flags = BusFrameFlagBits.None)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var total = MeasureMessage(envelope, payload.Length, trace);
        var span = writer.GetSpan(total);
        WriteMessage(span, type, envelope, payload, trace, flags);
        writer.Advance(total);
    }

    /// <summary>Writes a send (or deliver) frame carrying <paramref name="trace"/> into <paramref name="span"/>; returns the bytes written.</summary>
    public static int WriteMessage(Span<byte> span, BusFrameType type, in BusMessageEnvelope envelope, ReadOnlySpan<byte> payload, in BusTraceContext trace, BusFrameFlagBits flags = BusFrameFlagBits.None)
    {
        if (trace.IsEmpty)
        {
            return WriteMessage(span, type, envelope, payload, flags & ~BusFrameFlagBits.TraceContext, 0);
        }

        var traceBytes = TraceBytes(trace);
        var pos = WriteMessage(span, type, envelope, payload, flags | BusFrameFlagBits.TraceContext, traceBytes);
        var parentAt = pos;
        pos = PutString(span, pos, trace.TraceParent);
        var stateAt = pos;
        pos = PutString(span, pos, trace.TraceState);
        if (!BusFrameParser.IsValidTraceParent(span.Slice(parentAt + 1, BusWireConstants.TraceParentBytes))
            || !BusFrameParser.IsValidTraceState(span.Slice(stateAt + 1, pos - stateAt - 1)))
        {
            throw new ArgumentException("traceparent must be W3C version 00, tracestate printable ASCII", nameof(trace));
        }

        return pos;
    }

    private static int TraceBytes(in BusTraceContext trace)
    {
        if (trace.IsEmpty)
        {
            return 0;
        }

        if (Encoding.UTF8.GetByteCount(trace.TraceParent!) != BusWireConstants.TraceParentBytes)
        {
            throw new ArgumentException($"traceparent must be {BusWireConstants.TraceParentBytes} bytes", nameof(trace));
        }

        return 2 + BusWireConstants.TraceParentBytes + CheckedCount(trace.TraceState, BusWireConstants.MaxTraceStateBytes, nameof(trace.TraceState));
    }
}
