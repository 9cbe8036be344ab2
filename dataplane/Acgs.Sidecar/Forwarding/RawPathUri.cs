// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Acgs.Sidecar.Forwarding;

/// <summary>
/// Forwards a path with an encoded slash as it was sent. Kestrel decodes the request path except <c>%2F</c>, which it
/// leaves as the three characters <c>%2F</c>; YARP re-encodes the path, so the app would get <c>%252F</c>. When the
/// decoded path holds a <c>%</c> (rare: only then can that happen), the upstream URI is built from the request's raw
/// target instead (path as sent, the query as YARP would send it). Nothing is done — no allocation — otherwise.
/// </summary>
internal static class RawPathUri
{
    /// <summary>The upstream URI for <paramref name="prefix"/>, or null to leave it to YARP.</summary>
    public static Uri? For(HttpContext context, string prefix, PathString path, QueryString query)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(prefix);
        if (path.Value is not { } value || value.IndexOf('%', StringComparison.Ordinal) < 0
            || context.Features.Get<IHttpRequestFeature>()?.RawTarget is not { Length: > 0 } raw || raw[0] != '/')
        {
            return null;
        }

        var question = raw.IndexOf('?', StringComparison.Ordinal);
        var rawPath = question >= 0 ? raw[..question] : raw;
        var head = prefix.EndsWith('/') ? prefix[..^1] : prefix;
        return Uri.TryCreate(head + rawPath + query.Value, UriKind.Absolute, out var uri) ? uri : null;
    }
}
