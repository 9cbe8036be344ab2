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

    /// <summary>A version-00 value for a new trace whose decision was "not sampled" (flags <c>00</c>), passed on so that every later hop keeps the decision.</summary>
    public static string NewUnsampled(ActivityTraceId traceId, ActivitySpanId spanId) =>
        string.Create(Length, (traceId, spanId), static (chars, ids) =>
        {
            "00-".AsSpan().CopyTo(chars);
            Span<byte> bytes = stackalloc byte[16];
            ids.traceId.CopyTo(bytes);
            WriteHex(bytes, chars.Slice(3, 32));
            chars[35] = '-';
            ids.spanId.CopyTo(bytes[..8]);
            WriteHex(bytes[..8], chars.Slice(36, 16));
            "-00".AsSpan().CopyTo(chars[52..]);
        });

    /// <summary>The first 8 bytes of <paramref name="traceId"/> as a big-endian number (the ratio sampler's input).</summary>
    public static long Head(ActivityTraceId traceId)
    {
        Span<byte> bytes = stackalloc byte[16];
        traceId.CopyTo(bytes);
        return BinaryPrimitives.ReadInt64BigEndian(bytes);
    }

    private static void WriteHex(ReadOnlySpan<byte> bytes, Span<char> chars)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[2 * i] = Digit(bytes[i] >> 4);
            chars[(2 * i) + 1] = Digit(bytes[i] & 0xf);
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
