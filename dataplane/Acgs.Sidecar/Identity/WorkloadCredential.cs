// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Acgs.Sidecar.Identity;

/// <summary>
/// One issued certificate with its in-memory key, ready for TLS: the cached <see cref="SslStreamCertificateContext"/>
/// (built once per certificate, so handshakes never rebuild the chain), the trust anchors, the identity and hash.
/// Immutable; a renewal swaps in a new instance, and connections already open keep theirs.
/// </summary>
internal sealed class WorkloadCredential
{
    public WorkloadCredential(X509Certificate2 certificate, X509Certificate2Collection intermediates, X509Certificate2Collection anchors,
        string spiffeId, string constitutionalHash, string serial, DateTimeOffset receivedAt)
    {
        ReceivedAt = receivedAt;
        Certificate = certificate;
        Anchors = anchors;
        Intermediates = intermediates;
        SpiffeId = spiffeId;
        ConstitutionalHash = constitutionalHash;
        Serial = serial;
        NotBefore = certificate.NotBefore.ToUniversalTime();
        NotAfter = certificate.NotAfter.ToUniversalTime();
        Context = SslStreamCertificateContext.Create(certificate, intermediates, offline: true);
        ClientCertificates = [certificate];
        AnchorsPem = [.. anchors.Select(static a => a.ExportCertificatePem())];
    }

    /// <summary>The leaf, with its private key (memory only).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The cached TLS context presented as server.</summary>
    public SslStreamCertificateContext Context { get; }

    /// <summary>The leaf alone, presented as client.</summary>
    public X509CertificateCollection ClientCertificates { get; }

    /// <summary>Intermediates between the leaf and an anchor.</summary>
    public X509Certificate2Collection Intermediates { get; }

    /// <summary>The trust bundle the peers' chains must end in.</summary>
    public X509Certificate2Collection Anchors { get; }

    /// <summary>The anchors, PEM (for <c>/identity</c>).</summary>
    public ImmutableArray<string> AnchorsPem { get; }

    /// <summary>This workload's SPIFFE ID.</summary>
    public string SpiffeId { get; }

    /// <summary>The constitutional hash in the certificate.</summary>
    public string ConstitutionalHash { get; }

    /// <summary>Serial number, hex.</summary>
    public string Serial { get; }

    /// <summary>Start of validity.</summary>
    public DateTimeOffset NotBefore { get; }

    /// <summary>End of validity.</summary>
    public DateTimeOffset NotAfter { get; }

    /// <summary>
    /// The control-plane credential issued with this certificate (the CSR answer's <c>control_plane_token</c>), or null when the
    /// control plane issued none. A secret: sent only as the Bearer token of control-plane calls, never logged or shown.
    /// </summary>
    public string? ControlPlaneToken { get; init; }

    /// <summary>When <see cref="ControlPlaneToken"/> expires (never after <see cref="NotAfter"/>).</summary>
    public DateTimeOffset ControlPlaneTokenExpiresAt { get; init; }

    /// <summary>When this sidecar received the certificate (its own clock).</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>
    /// When a renewal is due: half the remaining lifetime as seen at <see cref="ReceivedAt"/>, plus <paramref name="jitter"/>
    /// (a fraction of it, ±). Measured from receipt, not <c>notBefore</c>, which the CA back-dates for clock skew.
    /// </summary>
    public DateTimeOffset RenewAt(double jitter) => ReceivedAt + ((NotAfter - ReceivedAt) * (0.5 + jitter));
}
