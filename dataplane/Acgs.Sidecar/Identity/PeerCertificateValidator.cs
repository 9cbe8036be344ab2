// Constitutional Hash: cdd01ef066bc6cf2

using System.Security.Cryptography.X509Certificates;
using Acgs.Contracts.Identity;
using Acgs.Core.ConstitutionalHash;

namespace Acgs.Sidecar.Identity;

/// <summary>
/// Decides whether a peer's certificate is a mesh workload this sidecar accepts: its chain ends in the trust bundle
/// (checked at the current time, so expired certificates fail), it has exactly one SPIFFE URI SAN in this trust
/// domain, it carries the constitutional-hash extension and that hash is accepted. Returns a reason code
/// (<c>acgs_mtls_rejections_total{reason}</c>) or null. Runs once per handshake, never per request.
/// </summary>
internal static class PeerCertificateValidator
{
    public const string NoCertificate = "no_certificate";
    public const string Expired = "expired";
    public const string Untrusted = "untrusted";
    public const string NoSpiffeId = "no_spiffe_id";
    public const string ForeignDomain = "foreign_domain";
    public const string NoHash = "no_hash";
    public const string HashNotAccepted = "hash_not_accepted";
    public const string IdentityMismatch = "identity_mismatch";
    public const string NoIdentity = "no_local_identity";
    public const string Plaintext = "plaintext_refused";

    /// <summary>Every reason code.</summary>
    public static readonly string[] Reasons = [NoCertificate, Expired, Untrusted, NoSpiffeId, ForeignDomain, NoHash, HashNotAccepted, IdentityMismatch, NoIdentity, Plaintext];

    /// <summary>Chain and validity only: null when <paramref name="leaf"/> chains to <paramref name="anchors"/> at <paramref name="now"/>.</summary>
    public static string? Verify(X509Certificate2 leaf, X509Certificate2Collection? intermediates, X509Certificate2Collection anchors, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(anchors);
        if (leaf.NotAfter.ToUniversalTime() <= now.UtcDateTime || leaf.NotBefore.ToUniversalTime() > now.UtcDateTime)
        {
            return Expired;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors);
        if (intermediates is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(intermediates);
        }

        var built = chain.Build(leaf);
        foreach (var element in chain.ChainElements)
        {
            element.Certificate.Dispose();
        }

        return built ? null : Untrusted;
    }

    /// <summary>
    /// The full check of a peer's certificate against this sidecar's <paramref name="local"/> credential (trust bundle,
    /// trust domain), <paramref name="anchors"/> and <paramref name="accepted"/> hashes; with <paramref name="expected"/>, the SPIFFE ID must equal it.
    /// <paramref name="spiffeId"/> is the peer's identity when accepted.
    /// </summary>
    public static string? Validate(X509Certificate2? peer, X509Certificate2Collection? presentedChain, WorkloadCredential? local,
        X509Certificate2Collection? anchors, ConstitutionalHashValidator? accepted, string? expected, DateTimeOffset now, out string? spiffeId)
    {
        spiffeId = null;
        if (local is null || anchors is null)
        {
            return NoIdentity;
        }

        if (peer is null)
        {
            return NoCertificate;
        }

        var intermediates = new X509Certificate2Collection(local.Intermediates);
        if (presentedChain is not null)
        {
            intermediates.AddRange(presentedChain);
        }

        if (Verify(peer, intermediates, anchors, now) is { } reason)
        {
            return reason;
        }

        var id = WorkloadCertificate.GetSpiffeId(peer);
        if (id is null)
        {
            return NoSpiffeId;
        }

        if (!SameTrustDomain(id, local.SpiffeId))
        {
            return ForeignDomain;
        }

        var hash = WorkloadCertificate.GetConstitutionalHash(peer);
        if (hash is null)
        {
            return NoHash;
        }

        if (accepted is null || accepted.Validate(hash.AsSpan()) != HashValidationResult.Valid)
        {
            return HashNotAccepted;
        }

        if (expected is not null && !string.Equals(expected, id, StringComparison.Ordinal))
        {
            return IdentityMismatch;
        }

        spiffeId = id;
        return null;
    }

    /// <summary>The trust domain of a SPIFFE ID (<c>spiffe://td/...</c>).</summary>
    public static ReadOnlySpan<char> TrustDomain(string spiffeId)
    {
        var rest = spiffeId.AsSpan(SpiffeId.Prefix.Length);
        var slash = rest.IndexOf('/');
        return slash < 0 ? rest : rest[..slash];
    }

    private static bool SameTrustDomain(string a, string b) =>
        a.StartsWith(SpiffeId.Prefix, StringComparison.Ordinal) && TrustDomain(a).SequenceEqual(TrustDomain(b));
}
