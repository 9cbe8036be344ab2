// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Unicode;

namespace Acgs.Contracts.BusWire;

/// <summary>Field readers: strings (<c>str8</c>) and the trace-context fields of a message body (<see cref="BusFrameFlagBits.TraceContext"/>).</summary>
public static partial class BusFrameParser
{
    /// <summary>
    /// Whether <paramref name="value"/> is a W3C version-00 traceparent: <c>00-{trace id}-{parent id}-{flags}</c>,
    /// lowercase hex, neither id all zeros.
    /// </summary>
    public static bool IsValidTraceParent(ReadOnlySpan<byte> value)
    {
        if (value.Length != BusWireConstants.TraceParentBytes || value[0] != (byte)'0' || value[1] != (byte)'0'
            || value[2] != (byte)'-' || value[35] != (byte)'-' || value[52] != (byte)'-')
        {
            return false;
        }

        return IsHex(value[3..35], nonZero: true) && IsHex(value[36..52], nonZero: true) && IsHex(value[53..], nonZero: false);
    }

    /// <summary>Whether <paramref name="value"/> is a tracestate this protocol carries: at most 255 printable ASCII bytes.</summary>
    public static bool IsValidTraceState(ReadOnlySpan<byte> value)
    {
        if (value.Length > BusWireConstants.MaxTraceStateBytes)
        {
            return false;
        }

        foreach (var b in value)
        {
            if (b is < 0x20 or > 0x7E)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads traceparent and tracestate at <paramref name="pos"/>; they must end the body.</summary>
    private static BusErrorCode ReadTraceContext(ReadOnlySpan<byte> body, int pos, out int parentOff, out int parentLen, out int stateOff, out int stateLen)
    {
        stateOff = 0;
        stateLen = 0;
        var code = ReadId(body, ref pos, BusWireConstants.TraceParentBytes, required: true, out parentOff, out parentLen);
        if (code != BusErrorCode.None)
        {
            return code;
        }

        if (!IsValidTraceParent(body.Slice(parentOff, parentLen)))
        {
            return BusErrorCode.MalformedFrame;
        }

        code = ReadId(body, ref pos, BusWireConstants.MaxTraceStateBytes, required: false, out stateOff, out stateLen);
        if (code != BusErrorCode.None)
        {
            return code;
        }

        return IsValidTraceState(body.Slice(stateOff, stateLen)) && pos == body.Length ? BusErrorCode.None : BusErrorCode.MalformedFrame;
    }

    private static bool IsHex(ReadOnlySpan<byte> value, bool nonZero)
    {
        var any = false;
        foreach (var b in value)
        {
            if (b is not ((>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f')))
            {
                return false;
            }

            any |= b != (byte)'0';
        }

        return any || !nonZero;
    }

    private static BusErrorCode ReadId(ReadOnlySpan<byte> body, ref int pos, int limit, bool required, out int offset, out int length)
    {
        offset = 0;
        length = 0;
        if (pos >= body.Length)
        {
            return BusErrorCode.MalformedFrame;
        }

        var declared = body[pos];
        if (declared > limit)
        {
            return BusErrorCode.FieldTooLarge;
        }

        if (declared > body.Length - pos - 1 || (required && declared == 0))
        {
            return BusErrorCode.MalformedFrame;
        }

        var value = body.Slice(pos + 1, declared);
        if (!Utf8.IsValid(value))
        {
            return BusErrorCode.MalformedFrame;
        }

        offset = pos + 1;
        length = declared;
        pos += 1 + declared;
        return BusErrorCode.None;
    }
}
