// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers.Binary;
using System.Diagnostics;

namespace Acgs.Sidecar.Tracing;

/// <summary>
/// Reads and writes W3C <c>traceparent</c> values without allocating on the read side: the sampling decision is made
/// from the header's text, before any <see cref="Activity"/> exists, so a request that is not sampled costs no span.
/// </summary>
internal static class TraceParent
{
    /// <summary>Length of a version-00 value: <c>00-</c> + 32 + <c>-</c> + 16 + <c>-</c> + 2.</summary>
    public const int Length = 55;

    /// <summary>
    /// Validates <paramref name="value"/> as W3C trace context level 1 does (lower-case hex, version not <c>ff</c>,
    /// non-zero ids, a future version may carry more fields after a dash) and returns its sampled flag and the first 8
    /// bytes of its trace id (the input of the trace-id ratio sampler).
    /// </summary>
    public static bool TryRead(string? value, out bool sampled, out long traceIdHead)
    {
        sampled = false;
        traceIdHead = 0;
        if (value is null || value.Length < Length)
        {
            return false;
        }

        var text = value.AsSpan();
        if (!TryHex(text[..2], out var version) || version == 0xff || text[2] != '-' || text[35] != '-' || text[52] != '-'
            || (version == 0 && text.Length != Length) || (text.Length > Length && text[Length] != '-'))
        {
            return false;
        }

        if (!TryHex(text.Slice(3, 16), out var head) || !TryHex(text.Slice(19, 16), out var tail) || (head | tail) == 0
            || !TryHex(text.Slice(36, 16), out var parent) || parent == 0 || !TryHex(text.Slice(53, 2), out var flags))
        {
            return false;
        }

        sampled = (flags & 1) == 1;
        traceIdHead = unchecked((long)head);
        return true;
    }

    /// <summary>
    /// A new random trace id (<paramref name="traceIdHigh"/>: its first 8 bytes, big-endian, the ratio sampler's input;
    /// <paramref name="traceIdLow"/>: the last 8) and span id, all non-zero, drawn without allocating
    /// (<see cref="ActivityTraceId.CreateRandom"/> and <see cref="ActivitySpanId.CreateRandom"/> each allocate their hex string).
    /// </summary>
    public static void NewIds(out ulong traceIdHigh, out ulong traceIdLow, out ulong spanId)
    {
        do
        {
            traceIdHigh = unchecked((ulong)Random.Shared.NextInt64(long.MinValue, long.MaxValue));
            traceIdLow = unchecked((ulong)Random.Shared.NextInt64(long.MinValue, long.MaxValue));
        }
        while ((traceIdHigh | traceIdLow) == 0);

        do
        {
            spanId = unchecked((ulong)Random.Shared.NextInt64(long.MinValue, long.MaxValue));
        }
        while (spanId == 0);
    }

    /// <summary>
    /// A version-00 value for a new trace whose decision was "not sampled" (flags <c>00</c>), passed on so that every later
    /// hop keeps the decision: the ids of <see cref="NewIds"/>, the value's 55 characters the only allocation.
    /// </summary>
    public static string NewUnsampled(ulong traceIdHigh, ulong traceIdLow, ulong spanId) =>
        string.Create(Length, (traceIdHigh, traceIdLow, spanId), static (chars, ids) =>
        {
            "00-".AsSpan().CopyTo(chars);
            WriteHex(ids.traceIdHigh, chars.Slice(3, 16));
            WriteHex(ids.traceIdLow, chars.Slice(19, 16));
            chars[35] = '-';
            WriteHex(ids.spanId, chars.Slice(36, 16));
            "-00".AsSpan().CopyTo(chars[52..]);
        });

    /// <summary>
    /// The parent context of a new trace's root span whose trace id is <paramref name="traceIdHigh"/> and
    /// <paramref name="traceIdLow"/> (of <see cref="NewIds"/>): no span id, so the span has no parent, but the trace id
    /// the sampling decision was taken on. Only for a sampled root (the trace id's hex string is its one allocation).
    /// </summary>
    public static ActivityContext RootContext(ulong traceIdHigh, ulong traceIdLow)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, traceIdHigh);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], traceIdLow);
        return new ActivityContext(ActivityTraceId.CreateFromBytes(bytes), default, ActivityTraceFlags.None);
    }

    /// <summary>The first 8 bytes of <paramref name="traceId"/> as a big-endian number (the ratio sampler's input).</summary>
    public static long Head(ActivityTraceId traceId)
    {
        Span<byte> bytes = stackalloc byte[16];
        traceId.CopyTo(bytes);
        return BinaryPrimitives.ReadInt64BigEndian(bytes);
    }

    private static void WriteHex(ulong value, Span<char> chars)
    {
        for (var i = chars.Length - 1; i >= 0; i--)
        {
            chars[i] = Digit((int)(value & 0xf));
            value >>= 4;
        }
    }

    private static char Digit(int value) => (char)(value < 10 ? '0' + value : 'a' + value - 10);

    private static bool TryHex(ReadOnlySpan<char> text, out ulong value)
    {
        value = 0;
        foreach (var c in text)
        {
            int digit;
            if (c is >= '0' and <= '9')
            {
                digit = c - '0';
            }
            else if (c is >= 'a' and <= 'f')
            {
                digit = c - 'a' + 10;
            }
            else
            {
                return false;
            }

            value = (value << 4) | (uint)digit;
        }

        return true;
    }
}
