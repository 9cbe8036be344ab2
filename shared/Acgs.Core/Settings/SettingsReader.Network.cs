// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;

namespace Acgs.Core.Settings;

/// <summary>Ports, listen addresses and URLs.</summary>
public sealed partial class SettingsReader
{
    /// <summary>A TCP port, 0–65535 (0 = any free port); <paramref name="fallback"/> when unset or invalid.</summary>
    public int Port(string name, int fallback) => OptionalPort(name) ?? fallback;

    /// <summary>A TCP port, 0–65535; null when unset or invalid.</summary>
    public int? OptionalPort(string name)
    {
        if (Raw(name) is not { } text)
        {
            return null;
        }

        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port <= 65535)
        {
            return port;
        }

        Report(name, "must be a port number from 0 to 65535", text);
        return null;
    }

    /// <summary>A listen address: an IP address, <c>*</c> (any IPv4) or <c>localhost</c>; <paramref name="fallback"/> when unset or invalid.</summary>
    public string ListenAddress(string name, string fallback) => Parse(name, fallback, TryParseListenAddress, "an IP address, '*' or 'localhost'");

    /// <summary>Parses a listen address: an IP address, <c>*</c> (any IPv4) or <c>localhost</c> (loopback).</summary>
    public static bool TryParseListenAddress(string? text, out IPAddress address)
    {
        address = IPAddress.None;
        switch (text)
        {
            case null or "":
                return false;
            case "*":
                address = IPAddress.Any;
                return true;
            case "localhost":
                address = IPAddress.Loopback;
                return true;
            default:
                if (IPAddress.TryParse(text, out var parsed))
                {
                    address = parsed;
                    return true;
                }

                return false;
        }
    }

    /// <summary>A DNS label (RFC 1123: 1–63 lowercase letters, digits and '-', alphanumeric at both ends), e.g. a Kubernetes namespace.</summary>
    public string DnsLabel(string name, string fallback) => Parse(name, fallback, TryParseDnsLabel, "a DNS label (1-63 lowercase letters, digits or '-', starting and ending with a letter or digit)");

    /// <summary>A DNS name of one or more <see cref="DnsLabel"/> labels joined by dots, at most 253 characters, e.g. a cluster domain.</summary>
    public string DnsName(string name, string fallback) => Parse(name, fallback, TryParseDnsName, "a DNS name (lowercase labels of letters, digits or '-' joined by '.', at most 253 characters)");

    /// <summary>Parses a DNS label (RFC 1123, lowercase).</summary>
    public static bool TryParseDnsLabel(string? text, out string label)
    {
        label = text ?? string.Empty;
        return text is not null && IsDnsLabel(text);
    }

    /// <summary>Parses a lowercase DNS name (labels per <see cref="TryParseDnsLabel"/>; no trailing dot).</summary>
    public static bool TryParseDnsName(string? text, out string dnsName)
    {
        dnsName = text ?? string.Empty;
        if (text is null || text.Length is 0 or > 253)
        {
            return false;
        }

        foreach (var range in text.AsSpan().Split('.'))
        {
            if (!IsDnsLabel(text.AsSpan()[range]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDnsLabel(ReadOnlySpan<char> text)
    {
        if (text.Length is 0 or > 63 || text[0] == '-' || text[^1] == '-')
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>An absolute <c>http</c> or <c>https</c> URL; null when unset or invalid.</summary>
    public Uri? OptionalHttpUrl(string name)
    {
        if (Raw(name) is not { } text)
        {
            return null;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        Report(name, "must be an absolute http or https URL", WithoutUserInfo(text));
        return null;
    }

    /// <summary>An absolute <c>http</c> or <c>https</c> URL; <paramref name="fallback"/> when unset or invalid.</summary>
    public Uri HttpUrl(string name, Uri fallback) => OptionalHttpUrl(name) ?? fallback;

    /// <summary><paramref name="url"/> with a <c>user:password@</c> part replaced by <c>***@</c>: a URL shown in a problem never carries a password.</summary>
    public static string WithoutUserInfo(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var start = scheme < 0 ? 0 : scheme + 3;
        var end = url.IndexOfAny(['/', '?', '#'], start);
        var at = url.LastIndexOf('@', end < 0 ? url.Length - 1 : end - 1);
        return at < start ? url : url[..start] + "***" + url[at..];
    }

    private static bool TryParseListenAddress(string text, out string address)
    {
        address = text;
        return TryParseListenAddress(text, out IPAddress _);
    }
}
