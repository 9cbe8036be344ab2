// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.Identity;

/// <summary>
/// SPIFFE IDs of mesh workloads: <c>spiffe://&lt;trust domain&gt;/svc/&lt;service&gt;</c> outside Kubernetes,
/// <c>spiffe://&lt;trust domain&gt;/ns/&lt;namespace&gt;/sa/&lt;service account&gt;</c> in it.
/// </summary>
public static class SpiffeId
{
    /// <summary>The URI scheme prefix.</summary>
    public const string Prefix = "spiffe://";

    /// <summary>Most characters of a trust domain.</summary>
    public const int MaxTrustDomainLength = 255;

    /// <summary>The identity of a workload outside Kubernetes.</summary>
    public static string ForService(string trustDomain, string service) => Prefix + trustDomain + "/svc/" + service;

    /// <summary>The identity of a Kubernetes workload.</summary>
    public static string ForServiceAccount(string trustDomain, string ns, string serviceAccount) =>
        Prefix + trustDomain + "/ns/" + ns + "/sa/" + serviceAccount;

    /// <summary>True for a valid trust domain: 1–255 of lowercase letters, digits, '.', '-', '_'.</summary>
    public static bool IsValidTrustDomain(string? trustDomain)
    {
        if (string.IsNullOrEmpty(trustDomain) || trustDomain.Length > MaxTrustDomainLength)
        {
            return false;
        }

        foreach (var c in trustDomain)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when <paramref name="id"/> is a SPIFFE ID of <paramref name="trustDomain"/> (<c>spiffe://td/...</c>).</summary>
    public static bool IsInTrustDomain(ReadOnlySpan<char> id, ReadOnlySpan<char> trustDomain) =>
        id.StartsWith(Prefix, StringComparison.Ordinal)
        && id.Length > Prefix.Length + trustDomain.Length + 1
        && id.Slice(Prefix.Length, trustDomain.Length).SequenceEqual(trustDomain)
        && id[Prefix.Length + trustDomain.Length] == '/';
}
