// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Acgs.Sidecar.Forwarding.Direct;

/// <summary>
/// Writes the upstream HTTP/1.1 request head straight from Kestrel's request into a pooled buffer, as YARP's path
/// would send it: request target = destination path prefix + path + query, the caller's <c>Host</c> (the sidecar's
/// routes keep the original host), every request header but the ones YARP drops (connection-level and proxy headers,
/// RequestUtilities' list), and — when the sidecar sets them — <c>X-Forwarded-For/Proto/Host</c> replacing the
/// caller's (<c>X-Forwarded-Prefix</c> removed). Anything this writer cannot send byte-for-byte as HttpClient would
/// (non-ASCII or control characters, a header given twice, a path or query character YARP would escape) makes it
/// return false, and the request goes to YARP's forwarder unchanged. A request with a client span (tracing on,
/// <see cref="DirectClientSpan"/>) goes without the caller's <c>traceparent</c>/<c>tracestate</c>: the span's context
/// takes their place at the end of the head, as the tracing client handler adds it on YARP's path.
/// </summary>
internal static class Http1RequestWriter
{
    private const int MaxHeadBytes = 64 * 1024;

    private static ReadOnlySpan<byte> Http11 => " HTTP/1.1\r\n"u8;

    private static ReadOnlySpan<byte> HostPrefix => "Host: "u8;

    private static ReadOnlySpan<byte> ContentLengthZero => "Content-Length: 0\r\n"u8;

    private static ReadOnlySpan<byte> TraceParentPrefix => "traceparent: 00-"u8;

    private static ReadOnlySpan<byte> TraceStatePrefix => "tracestate: "u8;

    // "traceparent: 00-" + trace id + '-' + span id + '-' + flags + CRLF.
    private const int TraceParentLine = 16 + 32 + 1 + 16 + 1 + 2 + 2;

    /// <summary>
    /// Writes the head into <paramref name="buffer"/> (rented from <see cref="ArrayPool{T}.Shared"/>, replaced when it
    /// grows); with <paramref name="traceContext"/>, without the caller's <c>traceparent</c>/<c>tracestate</c> (a
    /// client span's go in with <see cref="TryReserveTraceContext"/> and <see cref="WriteTraceContext"/>).
    /// </summary>
    public static bool TryWrite(HttpContext context, string basePath, bool xForwarded, bool traceContext, ref byte[] buffer, out int length)
    {
        length = 0;
        var request = context.Request;
        var pos = 0;
        var path = request.Path.Value;
        if (string.IsNullOrEmpty(path) || !Append(ref buffer, ref pos, request.Method) || !Byte(ref buffer, ref pos, (byte)' ')
            || !AppendPlain(ref buffer, ref pos, basePath, query: false) || !AppendPlain(ref buffer, ref pos, path, query: false)
            || !AppendPlain(ref buffer, ref pos, request.QueryString.Value, query: true) || !Raw(ref buffer, ref pos, Http11))
        {
            return false;
        }

        var host = request.Host.Value;
        if (string.IsNullOrEmpty(host) || !Raw(ref buffer, ref pos, HostPrefix) || !Append(ref buffer, ref pos, host) || !Raw(ref buffer, ref pos, "\r\n"u8))
        {
            return false;
        }

        foreach (var header in request.Headers)
        {
            var name = header.Key;
            if (Skip(name, xForwarded) || (traceContext && TraceHeader(name)))
            {
                continue;
            }

            var values = header.Value;
            if (values.Count != 1)
            {
                if (values.Count == 0)
                {
                    continue;
                }

                return false; // HttpClient joins repeated values with the header's own separator: left to YARP
            }

            if (!Append(ref buffer, ref pos, name) || !Raw(ref buffer, ref pos, ": "u8) || !Append(ref buffer, ref pos, values[0])
                || !Raw(ref buffer, ref pos, "\r\n"u8))
            {
                return false;
            }
        }

        if (request.ContentLength is null && !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)
            && !HttpMethods.IsDelete(request.Method) && !HttpMethods.IsOptions(request.Method) && !Raw(ref buffer, ref pos, ContentLengthZero))
        {
            return false; // HttpClient sends an empty body's length for methods that carry one
        }

        if (xForwarded && !AppendForwarded(context, ref buffer, ref pos))
        {
            return false;
        }

        if (!Raw(ref buffer, ref pos, "\r\n"u8))
        {
            return false;
        }

        length = pos;
        return true;
    }

    /// <summary>True for a header YARP does not copy upstream (RequestUtilities' list, pseudo headers) or that is written apart.</summary>
    public static bool Skip(string name, bool xForwarded)
    {
        if (name.Length == 0 || name[0] == ':')
        {
            return true;
        }

        if (ExcludedHeaders.Contains(name))
        {
            return true;
        }

        switch (name.Length)
        {
            case 4:
                return name.Equals("Host", StringComparison.OrdinalIgnoreCase);
            case 15:
                return xForwarded && name.Equals("X-Forwarded-For", StringComparison.OrdinalIgnoreCase);
            case 16:
                return xForwarded && name.Equals("X-Forwarded-Host", StringComparison.OrdinalIgnoreCase);
            case 17:
                return xForwarded && name.Equals("X-Forwarded-Proto", StringComparison.OrdinalIgnoreCase);
            case 18:
                return xForwarded && name.Equals("X-Forwarded-Prefix", StringComparison.OrdinalIgnoreCase);
            default:
                return false;
        }
    }

    /// <summary>
    /// Makes room after a head of <paramref name="length"/> bytes for the trace context lines of a span whose
    /// <c>tracestate</c> is <paramref name="traceState"/> (a child's is its parent's), so that writing them cannot fail
    /// once the span started; false when the state is not plain ASCII or the head would grow too large (left to YARP).
    /// </summary>
    public static bool TryReserveTraceContext(string? traceState, ref byte[] buffer, int length)
    {
        var room = TraceParentLine;
        if (!string.IsNullOrEmpty(traceState))
        {
            foreach (var c in traceState)
            {
                if (c is < ' ' and not '\t' || c >= '\u007f')
                {
                    return false;
                }
            }

            room += TraceStatePrefix.Length + traceState.Length + 2;
        }

        return EnsureRoom(ref buffer, length, room);
    }

    /// <summary>
    /// Writes <paramref name="span"/>'s <c>traceparent</c> (its W3C id) and, when not empty, <paramref name="traceState"/>
    /// in place of the head's final empty line, then that line; the new length. The room was reserved with
    /// <see cref="TryReserveTraceContext"/> for the same state.
    /// </summary>
    public static int WriteTraceContext(Activity span, string? traceState, byte[] buffer, int length)
    {
        var pos = length - 2; // the head's final CRLF
        TraceParentPrefix.CopyTo(buffer.AsSpan(pos));
        pos += TraceParentPrefix.Length;
        pos = Ascii(span.TraceId.ToHexString(), buffer, pos); // the ids keep their hex text: no allocation
        buffer[pos++] = (byte)'-';
        pos = Ascii(span.SpanId.ToHexString(), buffer, pos);
        buffer[pos++] = (byte)'-';
        var flags = (byte)span.ActivityTraceFlags;
        buffer[pos++] = "0123456789abcdef"u8[flags >> 4];
        buffer[pos++] = "0123456789abcdef"u8[flags & 0xF];
        buffer[pos++] = (byte)'\r';
        buffer[pos++] = (byte)'\n';
        if (!string.IsNullOrEmpty(traceState))
        {
            TraceStatePrefix.CopyTo(buffer.AsSpan(pos));
            pos += TraceStatePrefix.Length;
            pos = Ascii(traceState, buffer, pos);
            buffer[pos++] = (byte)'\r';
            buffer[pos++] = (byte)'\n';
        }

        buffer[pos++] = (byte)'\r';
        buffer[pos++] = (byte)'\n';
        return pos;
    }

    private static int Ascii(ReadOnlySpan<char> text, byte[] buffer, int pos)
    {
        for (var i = 0; i < text.Length; i++)
        {
            buffer[pos + i] = (byte)text[i];
        }

        return pos + text.Length;
    }

    private static bool TraceHeader(string name) =>
        (name.Length == 11 && name.Equals("traceparent", StringComparison.OrdinalIgnoreCase))
        || (name.Length == 10 && name.Equals("tracestate", StringComparison.OrdinalIgnoreCase));

    // YARP's default X-Forwarded transforms (action Set): For = the remote address, Proto = the scheme, Host = the
    // request's host; a missing value leaves the header out.
    private static bool AppendForwarded(HttpContext context, ref byte[] buffer, ref int pos)
    {
        if (context.Connection.RemoteIpAddress is { } remote)
        {
            if (!Raw(ref buffer, ref pos, "X-Forwarded-For: "u8) || !EnsureRoom(ref buffer, pos, 64)
                || !remote.TryFormat(buffer.AsSpan(pos), out var written))
            {
                return false;
            }

            pos += written;
            if (!Raw(ref buffer, ref pos, "\r\n"u8))
            {
                return false;
            }
        }

        var request = context.Request;
        return Raw(ref buffer, ref pos, "X-Forwarded-Proto: "u8) && Append(ref buffer, ref pos, request.Scheme) && Raw(ref buffer, ref pos, "\r\n"u8)
            && Raw(ref buffer, ref pos, "X-Forwarded-Host: "u8) && Append(ref buffer, ref pos, request.Host.Value) && Raw(ref buffer, ref pos, "\r\n"u8);
    }

    // Appends ASCII text without control characters; false for anything else.
    private static bool Append(ref byte[] buffer, ref int pos, string? text)
    {
        if (text is null)
        {
            return true;
        }

        if (!EnsureRoom(ref buffer, pos, text.Length))
        {
            return false;
        }

        var span = buffer.AsSpan(pos, text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is < ' ' and not '\t' || c >= '\u007f')
            {
                return false;
            }

            span[i] = (byte)c;
        }

        pos += text.Length;
        return true;
    }

    // A path or query made only of characters YARP's URI building leaves as they are.
    private static bool AppendPlain(ref byte[] buffer, ref int pos, string? text, bool query)
    {
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        var start = query ? 1 : 0;
        if (query && text[0] != '?')
        {
            return false;
        }

        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '.' or '_' or '~'
                || (query && c is '=' or '&' or '+' or ',' or ';' or ':' or '@' or '!' or '$' or '*' or '(' or ')' or '\'')))
            {
                return false;
            }
        }

        return Append(ref buffer, ref pos, text);
    }

    private static bool Byte(ref byte[] buffer, ref int pos, byte value)
    {
        if (!EnsureRoom(ref buffer, pos, 1))
        {
            return false;
        }

        buffer[pos++] = value;
        return true;
    }

    private static bool Raw(ref byte[] buffer, ref int pos, ReadOnlySpan<byte> bytes)
    {
        if (!EnsureRoom(ref buffer, pos, bytes.Length))
        {
            return false;
        }

        bytes.CopyTo(buffer.AsSpan(pos));
        pos += bytes.Length;
        return true;
    }

    private static bool EnsureRoom(ref byte[] buffer, int pos, int count)
    {
        if (pos + count <= buffer.Length)
        {
            return true;
        }

        var size = Math.Max(buffer.Length * 2, pos + count);
        if (size > MaxHeadBytes)
        {
            return false;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(size);
        buffer.AsSpan(0, pos).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = bigger;
        return true;
    }

    /// <summary>True when <paramref name="connection"/> (the request's Connection header) holds only keep-alive/close tokens.</summary>
    public static bool PlainConnectionHeader(StringValues connection)
    {
        if (connection.Count == 0)
        {
            return true;
        }

        if (connection.Count > 1)
        {
            return false;
        }

        var value = connection[0].AsSpan().Trim();
        return value.IsEmpty || value.Equals("keep-alive", StringComparison.OrdinalIgnoreCase) || value.Equals("close", StringComparison.OrdinalIgnoreCase);
    }
}
