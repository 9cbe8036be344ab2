// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text;

namespace Acgs.LoadTest.Http;

/// <summary>Pre-encodes an HTTP/1.1 request once; every send writes the same bytes.</summary>
internal static class HttpRequestTemplate
{
    public static byte[] Encode(RawHttpClientOptions options)
    {
        var uri = options.Target;
        var sb = new StringBuilder(256);
        sb.Append(options.Method).Append(' ').Append(uri.PathAndQuery).Append(" HTTP/1.1\r\n");
        var host = options.Host ?? uri.Authority;
        if (host.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException("the Host value must not contain CR or LF", nameof(options));
        }

        sb.Append("Host: ").Append(host).Append("\r\n");
        foreach (var (name, value) in options.Headers)
        {
            if (name.AsSpan().IndexOfAny('\r', '\n') >= 0 || value.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                throw new ArgumentException("header names and values must not contain CR or LF", nameof(options));
            }

            sb.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        var body = options.Body ?? ReadOnlyMemory<byte>.Empty;
        if (options.Body is not null)
        {
            sb.Append("Content-Length: ").Append(body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }

        sb.Append("\r\n");
        var head = Encoding.ASCII.GetBytes(sb.ToString());
        var request = new byte[head.Length + body.Length];
        head.CopyTo(request, 0);
        body.Span.CopyTo(request.AsSpan(head.Length));
        return request;
    }
}
