// Constitutional Hash: cdd01ef066bc6cf2

using System.Text;

namespace Acgs.Sidecar.Forwarding.Direct;

/// <summary>
/// The headers YARP's forwarder never copies, in either direction (its <c>RequestUtilities</c> exclusion list:
/// connection-level and hop-by-hop headers), as one list for the direct path's request writer and response copy.
/// Looked up by length, then compared ASCII case-insensitively; nothing allocated.
/// </summary>
internal static class ExcludedHeaders
{
    private static readonly string[] Names =
    [
        "Connection", "Transfer-Encoding", "Keep-Alive", "Upgrade", "Proxy-Connection", "Proxy-Authenticate",
        "Proxy-Authentication-Info", "Proxy-Authorization", "Proxy-Features", "Proxy-Instruction", "Security-Scheme",
        "ALPN", "Close", "HTTP2-Settings", "Upgrade-Insecure-Requests", "TE", "Alt-Svc",
    ];

    private static readonly string[][] ByLength = Group();

    /// <summary>True when <paramref name="name"/> is on the list.</summary>
    public static bool Contains(ReadOnlySpan<char> name)
    {
        foreach (var candidate in OfLength(name.Length))
        {
            if (Ascii.EqualsIgnoreCase(name, candidate))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="name"/> (ASCII bytes) is on the list.</summary>
    public static bool Contains(ReadOnlySpan<byte> name)
    {
        foreach (var candidate in OfLength(name.Length))
        {
            if (Ascii.EqualsIgnoreCase(name, candidate))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The names of <paramref name="length"/> characters (none beyond the longest).</summary>
    private static string[] OfLength(int length) => length < ByLength.Length ? ByLength[length] : [];

    private static string[][] Group()
    {
        var longest = 0;
        foreach (var name in Names)
        {
            longest = Math.Max(longest, name.Length);
        }

        var groups = new List<string>[longest + 1];
        foreach (var name in Names)
        {
            (groups[name.Length] ??= []).Add(name);
        }

        var byLength = new string[longest + 1][];
        for (var i = 0; i < byLength.Length; i++)
        {
            byLength[i] = groups[i]?.ToArray() ?? [];
        }

        return byLength;
    }
}
