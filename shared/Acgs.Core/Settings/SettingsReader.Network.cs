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
