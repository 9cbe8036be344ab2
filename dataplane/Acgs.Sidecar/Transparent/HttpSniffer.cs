// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;

namespace Acgs.Sidecar.Transparent;

/// <summary>
/// Tells HTTP from other protocols by a connection's first bytes: an HTTP/1.x request line and the
/// HTTP/2 preface (<c>PRI * HTTP/2.0</c>) both start with an upper-case method token and a space.
/// TLS (0x16), Redis (<c>*</c>), PostgreSQL (a length) and the like never do.
/// </summary>
internal static class HttpSniffer
{
    /// <summary>Longest method token looked at (longer ones are not HTTP here).</summary>
    public const int MaxMethodLength = 20;

    /// <summary>The verdict on the bytes seen so far.</summary>
    public enum Verdict
    {
        /// <summary>Not enough bytes yet.</summary>
        NeedMore = 0,

        /// <summary>An HTTP request (or the HTTP/2 preface).</summary>
        Http = 1,

        /// <summary>Something else.</summary>
        NotHttp = 2,
    }

    /// <summary>Classifies <paramref name="buffer"/> (the connection's first bytes).</summary>
    public static Verdict Classify(ReadOnlySequence<byte> buffer)
    {
        Span<byte> head = stackalloc byte[MaxMethodLength + 1];
        var length = (int)Math.Min(buffer.Length, head.Length);
        buffer.Slice(0, length).CopyTo(head);
        return Classify(head[..length]);
    }

    /// <summary>Classifies <paramref name="head"/> (the connection's first bytes).</summary>
    public static Verdict Classify(ReadOnlySpan<byte> head)
    {
        for (var i = 0; i < head.Length && i <= MaxMethodLength; i++)
        {
            var b = head[i];
            if (b == (byte)' ')
            {
                return i > 0 ? Verdict.Http : Verdict.NotHttp;
            }

            if (b is < (byte)'A' or > (byte)'Z')
            {
                return Verdict.NotHttp;
            }
        }

        return head.Length > MaxMethodLength ? Verdict.NotHttp : Verdict.NeedMore;
    }
}
