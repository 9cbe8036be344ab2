// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.Forwarding;

/// <summary>
/// Reuses the upstream request <see cref="Uri"/> of the previous request forwarded on the same thread
/// when the next one would get an identical one. YARP builds a new <see cref="Uri"/> for every
/// proxied request (destination prefix + encoded path + query: a string, the <see cref="Uri"/>, its
/// parsed parts, ~300 B and the parse); a <see cref="Uri"/> is immutable and safe to share, so a
/// request to the same destination, path and query sends the one already built. Only paths made of
/// characters YARP never encodes (letters, digits, <c>/-._~</c>) are compared, so the reused
/// <see cref="Uri"/> is exactly the one YARP would have built; anything else leaves it to YARP.
/// One slot per thread, no lock, no allocation.
/// </summary>
internal static class DestinationUris
{
    [ThreadStatic]
    private static Uri? t_last;

    /// <summary>
    /// The <see cref="Uri"/> YARP would build for <paramref name="prefix"/>, <paramref name="path"/>
    /// and <paramref name="query"/> when this thread's last one is it; otherwise null.
    /// </summary>
    public static Uri? Reuse(string prefix, PathString path, QueryString query)
    {
        var last = t_last;
        return last is not null && Matches(last.OriginalString, prefix, path.Value, query.Value) ? last : null;
    }

    /// <summary>Keeps <paramref name="uri"/> (a request's upstream <see cref="Uri"/>) for the next request on this thread.</summary>
    public static void Remember(Uri? uri)
    {
        if (uri is not null && uri.IsAbsoluteUri)
        {
            t_last = uri;
        }
    }

    /// <summary>
    /// True when <paramref name="original"/> is what YARP's <c>RequestUtilities.MakeDestinationAddress</c>
    /// makes of the prefix, path and query: the prefix without its trailing slash when there is a path,
    /// the path (only characters never encoded), the query as received.
    /// </summary>
    public static bool Matches(string original, string prefix, string? path, string? query)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(prefix);
        var head = prefix.AsSpan();
        var tail = path.AsSpan();
        if (!tail.IsEmpty && head.EndsWith('/'))
        {
            head = head[..^1];
        }

        var rest = query.AsSpan();
        if (original.Length != head.Length + tail.Length + rest.Length || !IsPlainPath(tail))
        {
            return false;
        }

        var text = original.AsSpan();
        return text.StartsWith(head, StringComparison.Ordinal)
            && text.Slice(head.Length, tail.Length).SequenceEqual(tail)
            && text[(head.Length + tail.Length)..].SequenceEqual(rest);
    }

    private static bool IsPlainPath(ReadOnlySpan<char> path)
    {
        foreach (var c in path)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '.' or '_' or '~'))
            {
                return false;
            }
        }

        return true;
    }
}
