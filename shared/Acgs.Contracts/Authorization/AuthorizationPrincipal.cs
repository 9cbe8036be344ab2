// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Identity;
using Acgs.Contracts.Validation;

namespace Acgs.Contracts.Authorization;

/// <summary>
/// The caller forms of a rule's <c>from</c>: <c>"*"</c> (any caller, authenticated or not), <c>"unauthenticated"</c>
/// (a plaintext caller), a SPIFFE ID (<c>spiffe://&lt;trust domain&gt;/...</c>, exact) or a service name (a caller whose
/// SPIFFE ID is <c>spiffe://&lt;td&gt;/svc/&lt;service&gt;</c> or <c>spiffe://&lt;td&gt;/ns/&lt;ns&gt;/sa/&lt;service&gt;</c>).
/// </summary>
public static class AuthorizationPrincipal
{
    /// <summary>Any caller.</summary>
    public const string Any = "*";

    /// <summary>A caller without a verified identity (plaintext).</summary>
    public const string Unauthenticated = "unauthenticated";

    /// <summary>Longest SPIFFE ID accepted in a rule.</summary>
    public const int MaxSpiffeIdLength = 2048;

    /// <summary>What a bad entry is told (after its path).</summary>
    public const string Rule = "must be a service name, a SPIFFE ID (spiffe://<trust domain>/<path>), \"*\" or \"unauthenticated\"";

    /// <summary>True when <paramref name="value"/> is one of the forms above.</summary>
    public static bool IsValid(string? value) =>
        value is Any or Unauthenticated || IsSpiffeId(value) || ServiceName.IsValid(value);

    /// <summary>True for a well-formed SPIFFE ID: a valid trust domain, a non-empty path, printable ASCII without '?' or '#'.</summary>
    public static bool IsSpiffeId(string? value)
    {
        if (value is null || !value.StartsWith(SpiffeId.Prefix, StringComparison.Ordinal) || value.Length > MaxSpiffeIdLength
            || !NodeId.IsPrintable(value, MaxSpiffeIdLength) || value.AsSpan().ContainsAny('?', '#'))
        {
            return false;
        }

        var rest = value.AsSpan(SpiffeId.Prefix.Length);
        var slash = rest.IndexOf('/');
        return slash > 0 && slash < rest.Length - 1 && SpiffeId.IsValidTrustDomain(rest[..slash].ToString());
    }

    /// <summary>
    /// The service part of a mesh SPIFFE ID (<c>/svc/&lt;service&gt;</c> or <c>/ns/&lt;ns&gt;/sa/&lt;service&gt;</c>); false for
    /// another form. Allocation-free (the sidecar calls it per request).
    /// </summary>
    public static bool TryGetService(ReadOnlySpan<char> spiffeId, out ReadOnlySpan<char> service)
    {
        service = default;
        if (!spiffeId.StartsWith(SpiffeId.Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = spiffeId[SpiffeId.Prefix.Length..];
        var slash = rest.IndexOf('/');
        if (slash <= 0)
        {
            return false;
        }

        var path = rest[slash..];
        if (path.StartsWith("/svc/", StringComparison.Ordinal))
        {
            service = path[5..];
        }
        else if (path.StartsWith("/ns/", StringComparison.Ordinal))
        {
            var afterNs = path[4..];
            var next = afterNs.IndexOf('/');
            if (next <= 0 || !afterNs[next..].StartsWith("/sa/", StringComparison.Ordinal))
            {
                return false;
            }

            service = afterNs[(next + 4)..];
        }

        return service.Length > 0 && !service.Contains('/');
    }
}
