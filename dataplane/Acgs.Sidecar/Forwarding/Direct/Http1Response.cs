// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Forwarding.Direct;

/// <summary>How the upstream response's body is delimited.</summary>
internal enum BodyFraming
{
    /// <summary>No body (HEAD, 1xx, 204, 304, or Content-Length 0).</summary>
    None,

    /// <summary>Exactly <see cref="Http1Response.ContentLength"/> bytes.</summary>
    ContentLength,

    /// <summary>Chunked transfer coding.</summary>
    Chunked,

    /// <summary>Until the upstream closes the connection.</summary>
    Close,
}

/// <summary>A header line of the parsed head: offsets into the connection's buffer (value trimmed).</summary>
internal readonly record struct HeaderRange(int NameStart, int NameLength, int ValueStart, int ValueLength);

/// <summary>
/// The parsed head of one upstream HTTP/1.1 response (one instance per request frame, reused): status, reason phrase,
/// header ranges in the connection's buffer, and the body framing (RFC 9112 section 6.3). Anything doubtful — an
/// obsolete line fold, a bare CR or LF, a byte a header name or value may not hold (what Kestrel would refuse to send on),
/// a status below 100, a transfer coding other than chunked, conflicting lengths, a 101 nobody asked for — throws
/// <see cref="DirectProtocolException"/>: the connection is closed and the client gets 502.
/// </summary>
internal sealed class Http1Response
{
    /// <summary>The most header lines accepted.</summary>
    public const int MaxHeaders = 128;

    // RFC 9110 token characters (header names).
    private static readonly System.Buffers.SearchValues<byte> TokenBytes =
        System.Buffers.SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    // HTAB, SP, VCHAR and obs-text (reason phrase).
    private static readonly System.Buffers.SearchValues<byte> FieldValueBytes = System.Buffers.SearchValues.Create(FieldBytes(obsText: true));

    // HTAB, SP and VCHAR: what Kestrel's response headers accept with the default (ASCII) header encoding.
    private static readonly System.Buffers.SearchValues<byte> AsciiValueBytes = System.Buffers.SearchValues.Create(FieldBytes(obsText: false));

    public HeaderRange[] Headers { get; } = new HeaderRange[MaxHeaders];

    public int HeaderCount { get; private set; }

    public int Status { get; private set; }

    public int ReasonStart { get; private set; }

    public int ReasonLength { get; private set; }

    public long ContentLength { get; private set; }

    public BodyFraming Framing { get; private set; }

    /// <summary>False when the connection cannot carry another request after this response.</summary>
    public bool KeepAlive { get; private set; }

    /// <summary>
    /// Parses a complete head at the start of the connection's unread bytes; returns its length, or 0 when the head is
    /// not complete yet. 1xx interim responses are consumed and skipped.
    /// </summary>
    public int TryParse(DirectConnection connection, bool headRequest)
    {
        while (true)
        {
            var data = connection.Buffer.AsSpan(connection.Start, connection.Buffered);
            var end = data.IndexOf("\r\n\r\n"u8);
            if (end < 0)
            {
                if (data.Length > 0 && data[0] != (byte)'H')
                {
                    throw new DirectProtocolException("not an HTTP response");
                }

                RejectBareLineFeed(data); // a head ended by bare LFs would otherwise wait for the timeout
                return 0;
            }

            var length = end + 4;
            Parse(connection.Buffer, connection.Start, end + 2, headRequest);
            if (Status is >= 100 and < 200)
            {
                if (Status == 101)
                {
                    throw new DirectProtocolException("unexpected 101");
                }


                connection.Start += length; // interim response: skipped, as HttpClient does
                continue;
            }

            return length;
        }
    }

    private void Parse(byte[] buffer, int start, int length, bool headRequest)
    {
        var span = buffer.AsSpan(start, length);
        // Status line: HTTP/1.x SP 3DIGIT [SP reason] CRLF
        var lineEnd = span.IndexOf("\r\n"u8);
        var line = span[..lineEnd];
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || line[7] is not ((byte)'0' or (byte)'1') || line[8] != (byte)' '
            || !char.IsAsciiDigit((char)line[9]) || !char.IsAsciiDigit((char)line[10]) || !char.IsAsciiDigit((char)line[11])
            || (line.Length > 12 && line[12] != (byte)' '))
        {
            throw new DirectProtocolException("bad status line");
        }

        var http10 = line[7] == (byte)'0';
        Status = ((line[9] - '0') * 100) + ((line[10] - '0') * 10) + (line[11] - '0');
        if (Status < 100)
        {
            throw new DirectProtocolException("status below 100");
        }

        ReasonStart = start + Math.Min(line.Length, 13);
        ReasonLength = Math.Max(0, line.Length - 13);
        if (ReasonLength > 0 && line[13..].IndexOfAnyExcept(FieldValueBytes) >= 0)
        {
            throw new DirectProtocolException("bad reason phrase"); // a CR, LF or control byte would split the client's response
        }
        HeaderCount = 0;
        ContentLength = -1;
        var chunked = false;
        var close = http10;
        var offset = lineEnd + 2;
        while (offset < length)
        {
            var rest = span[offset..];
            var eol = rest.IndexOf("\r\n"u8);
            var header = rest[..eol];
            if (header.IsEmpty || header[0] is (byte)' ' or (byte)'\t')
            {
                throw new DirectProtocolException("line fold or empty header line");
            }

            var colon = header.IndexOf((byte)':');
            if (colon <= 0 || header[colon - 1] is (byte)' ' or (byte)'\t')
            {
                throw new DirectProtocolException("bad header line");
            }

            var name = header[..colon];
            if (name.IndexOfAnyExcept(TokenBytes) >= 0)
            {
                throw new DirectProtocolException("bad header name");
            }

            var valueStart = colon + 1;
            var valueEnd = header.Length;
            while (valueStart < valueEnd && header[valueStart] is (byte)' ' or (byte)'\t')
            {
                valueStart++;
            }

            while (valueEnd > valueStart && header[valueEnd - 1] is (byte)' ' or (byte)'\t')
            {
                valueEnd--;
            }

            var value = header[valueStart..valueEnd];
            if (value.IndexOfAnyExcept(AsciiValueBytes) >= 0)
            {
                throw new DirectProtocolException("bad header value"); // what Kestrel refuses in a response header (not ASCII, control bytes)
            }

            if (name.Length == 17 && System.Text.Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
            {
                if (chunked || !System.Text.Ascii.EqualsIgnoreCase(value, "chunked"u8))
                {
                    throw new DirectProtocolException("transfer coding other than chunked, once");
                }

                chunked = true;
            }
            else if (name.Length == 14 && System.Text.Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                if (!TryParseLength(value, out var contentLength) || (ContentLength >= 0 && ContentLength != contentLength))
                {
                    throw new DirectProtocolException("bad Content-Length");
                }

                ContentLength = contentLength;
            }
            else if (name.Length == 10 && System.Text.Ascii.EqualsIgnoreCase(name, "Connection"u8))
            {
                if (HasToken(value, "close"u8))
                {
                    close = true;
                }
                else if (http10 && HasToken(value, "keep-alive"u8))
                {
                    close = false;
                }
            }

            if (HeaderCount == MaxHeaders)
            {
                throw new DirectProtocolException("too many headers");
            }

            Headers[HeaderCount++] = new HeaderRange(start + offset, colon, start + offset + valueStart, valueEnd - valueStart);
            offset += eol + 2;
        }

        if (headRequest || Status is 204 or 304 || Status < 200)
        {
            Framing = BodyFraming.None;
        }
        else if (chunked)
        {
            Framing = BodyFraming.Chunked;
            close |= ContentLength >= 0; // both: chunked wins, and the connection is not trusted further
        }
        else if (ContentLength >= 0)
        {
            Framing = ContentLength == 0 ? BodyFraming.None : BodyFraming.ContentLength;
        }
        else
        {
            Framing = BodyFraming.Close;
            close = true;
        }

        KeepAlive = !close;
    }

    // A bare LF (not after a CR) anywhere in the head received so far.
    private static void RejectBareLineFeed(ReadOnlySpan<byte> data)
    {
        var offset = 0;
        int index;
        while ((index = data[offset..].IndexOf((byte)'\n')) >= 0)
        {
            offset += index;
            if (offset == 0 || data[offset - 1] != (byte)'\r')
            {
                throw new DirectProtocolException("bare LF in the head");
            }

            offset++;
        }
    }

    private static bool TryParseLength(ReadOnlySpan<byte> value, out long length)
    {
        length = 0;
        if (value.IsEmpty || value.Length > 18)
        {
            return false;
        }

        foreach (var b in value)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            length = (length * 10) + (b - '0');
        }

        return true;
    }

    private static byte[] FieldBytes(bool obsText)
    {
        var bytes = new List<byte> { (byte)'\t' };
        for (var b = 0x20; b <= (obsText ? 0xFF : 0x7E); b++)
        {
            if (b != 0x7F)
            {
                bytes.Add((byte)b);
            }
        }

        return [.. bytes];
    }

    private static bool HasToken(ReadOnlySpan<byte> value, ReadOnlySpan<byte> token)
    {
        while (!value.IsEmpty)
        {
            var comma = value.IndexOf((byte)',');
            var part = (comma < 0 ? value : value[..comma]).Trim((byte)' ');
            if (System.Text.Ascii.EqualsIgnoreCase(part, token))
            {
                return true;
            }

            value = comma < 0 ? default : value[(comma + 1)..];
        }

        return false;
    }
}
