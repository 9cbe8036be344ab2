// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Text;

namespace Acgs.Sidecar.HashEnforcement;

/// <summary>
/// The path an exempt prefix is matched against. Kestrel has already percent-decoded the request path (all but
/// <c>%2F</c>) and removed its dot segments, so a path without <c>\</c>, <c>;</c> or <c>%</c> is used as it is (one
/// vectorised scan, nothing allocated). Otherwise — a path an application could resolve differently from the
/// sidecar, such as <c>/healthz/..;/secret</c> or <c>/healthz/..%5csecret</c> — it is normalised the way a lenient
/// application would read it: backslashes and encoded slashes (<c>%2F</c>, <c>%5C</c>) become <c>/</c>, encoded
/// unreserved characters are decoded, <c>;</c> parameters are cut from every segment, then dot segments are removed.
/// An exempt prefix must match that form, so such a path needs the hash unless it really stays under the prefix.
/// </summary>
internal static class MatchPath
{
    private static readonly SearchValues<char> Suspicious = SearchValues.Create("\\;%");

    /// <summary>True when <paramref name="path"/> needs <see cref="Normalize"/> before prefix matching.</summary>
    public static bool NeedsNormalizing(ReadOnlySpan<char> path) => path.IndexOfAny(Suspicious) >= 0;

    /// <summary>The normalised form of <paramref name="path"/> (allocates; only for paths that need it).</summary>
    public static string Normalize(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var decoded = new StringBuilder(path.Length);
        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c == '%' && i + 2 < path.Length && TryHex(path[i + 1], path[i + 2], out var value))
            {
                var d = (char)value;
                if (d is '/' or '\\')
                {
                    decoded.Append('/');
                    i += 2;
                    continue;
                }

                if (char.IsAsciiLetterOrDigit(d) || d is '-' or '.' or '_' or '~')
                {
                    decoded.Append(d);
                    i += 2;
                    continue;
                }
            }

            decoded.Append(c == '\\' ? '/' : c);
        }

        var segments = new List<string>();
        foreach (var raw in decoded.ToString().Split('/'))
        {
            var semicolon = raw.IndexOf(';', StringComparison.Ordinal);
            var segment = semicolon >= 0 ? raw[..semicolon] : raw;
            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }
            }
            else if (segment is not ("." or ""))
            {
                segments.Add(segment);
            }
        }

        return "/" + string.Join('/', segments);
    }

    private static bool TryHex(char high, char low, out int value)
    {
        value = 0;
        var h = HexValue(high);
        var l = HexValue(low);
        if (h < 0 || l < 0)
        {
            return false;
        }

        value = (h << 4) | l;
        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
