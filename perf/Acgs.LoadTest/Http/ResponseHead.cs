// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers.Text;
using System.Text;

namespace Acgs.LoadTest.Http;

/// <summary>The parts of a response head the client needs, parsed without allocating.</summary>
internal readonly record struct ResponseHead(int StatusCode, long ContentLength, bool Chunked, bool Close)
{
    /// <summary>Parses the status line and headers (<paramref name="head"/> excludes the final CRLFCRLF).</summary>
    public static bool TryParse(ReadOnlySpan<byte> head, out ResponseHead result)
    {
        result = default;
        var lineEnd = head.IndexOf("\r\n"u8);
        var statusLine = lineEnd < 0 ? head : head[..lineEnd];
        if (statusLine.Length < 12 || !statusLine.StartsWith("HTTP/1."u8) || statusLine[8] != (byte)' ')
        {
            return false;
        }

        if (!Utf8Parser.TryParse(statusLine.Slice(9, 3), out int status, out var used) || used != 3)
        {
            return false;
        }

        var close = statusLine[7] == (byte)'0';
        long contentLength = -1;
        var chunked = false;
        var rest = lineEnd < 0 ? [] : head[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf("\r\n"u8);
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim((byte)' ');
            if (Ascii.EqualsIgnoreCase(name, "content-length"u8))
            {
                if (!Utf8Parser.TryParse(value, out contentLength, out var n) || n != value.Length || contentLength < 0)
                {
                    return false;
                }
            }
            else if (Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8))
            {
                chunked = value.Length >= 7 && Ascii.EqualsIgnoreCase(value[^7..], "chunked"u8);
            }
            else if (Ascii.EqualsIgnoreCase(name, "connection"u8))
            {
                close = Ascii.EqualsIgnoreCase(value, "close"u8) || (close && !Ascii.EqualsIgnoreCase(value, "keep-alive"u8));
            }
        }

        result = new ResponseHead(status, contentLength, chunked, close);
        return true;
    }
}
