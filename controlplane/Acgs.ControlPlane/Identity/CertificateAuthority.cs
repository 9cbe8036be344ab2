// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Acgs.Contracts.Identity;

namespace Acgs.ControlPlane.Identity;

/// <summary>
/// The mesh's issuer: signs workload certificates (ECDSA P-256 leaf keys, SHA-256) with one SPIFFE URI SAN and the
/// constitutional-hash extension, serverAuth + clientAuth, random 128-bit serials. Holds the trust bundle (one anchor,
/// or two during a rotation). Immutable after construction; safe for concurrent use.
/// </summary>
internal sealed class CertificateAuthority : IDisposable
{
    private readonly X509Certificate2 _issuer;
    private readonly ImmutableArray<X509Certificate2> _intermediates;
    private readonly ImmutableArray<X509Certificate2> _anchors;

    /// <param name="issuer">The signing certificate, with its private key.</param>
    /// <param name="intermediates">Certificates between the issuer and an anchor (not the anchor), issuer side first.</param>
    /// <param name="anchors">The trust anchors.</param>
    /// <param name="source"><c>generated</c> or <c>files</c>.</param>
    public CertificateAuthority(X509Certificate2 issuer, ImmutableArray<X509Certificate2> intermediates, ImmutableArray<X509Certificate2> anchors, string source)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        _issuer = issuer;
        _intermediates = intermediates;
        _anchors = anchors;
        Source = source;
        TrustBundlePem = [.. anchors.Select(static a => a.ExportCertificatePem())];
        var selfAnchored = anchors.Any(a => a.RawDataMemory.Span.SequenceEqual(issuer.RawDataMemory.Span));
        ChainPem = selfAnchored
            ? [.. intermediates.Select(static c => c.ExportCertificatePem())]
            : [issuer.ExportCertificatePem(), .. intermediates.Select(static c => c.ExportCertificatePem())];
    }

    /// <summary><c>generated</c> (kept in the store) or <c>files</c> (<c>ACGS_CA_CERT</c>/<c>ACGS_CA_KEY</c>).</summary>
    public string Source { get; }

    /// <summary>The anchors, PEM.</summary>
    public ImmutableArray<string> TrustBundlePem { get; }

    /// <summary>What a leaf needs between itself and an anchor, PEM.</summary>
    public ImmutableArray<string> ChainPem { get; }

    /// <summary>The issuer's validity end (leaves never outlive it).</summary>
    public DateTimeOffset IssuerNotAfter => _issuer.NotAfter.ToUniversalTime();

    /// <summary>
    /// Signs a certificate for <paramref name="publicKey"/> (already checked to be ECDSA P-256) with the identity and
    /// hash given (never names from the CSR). Validity: <paramref name="now"/> − <paramref name="backdate"/> to
    /// <paramref name="now"/> + <paramref name="ttl"/>, clamped to the issuer's.
    /// </summary>
    public X509Certificate2 Issue(PublicKey publicKey, string spiffeId, string constitutionalHash, DateTimeOffset now, TimeSpan ttl, TimeSpan backdate)
    {
        var subject = new X500DistinguishedName("O=ACGS mesh");
        var request = new CertificateRequest(subject, publicKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1", "serverAuth"), new Oid("1.3.6.1.5.5.7.3.2", "clientAuth")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(spiffeId, UriKind.Absolute));
        request.CertificateExtensions.Add(san.Build(critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(publicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_issuer, true, false));
        request.CertificateExtensions.Add(WorkloadCertificate.CreateHashExtension(constitutionalHash));

        var notBefore = Max(now - backdate, _issuer.NotBefore.ToUniversalTime());
        var notAfter = Min(now + ttl, IssuerNotAfter);
        using var key = _issuer.GetECDsaPrivateKey() ?? throw new InvalidOperationException("the issuer has no ECDSA private key");
        return request.Create(_issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(key), notBefore, notAfter, NewSerial());
    }

    /// <summary>
    /// True when <paramref name="certificate"/> chains to this CA's anchors and is valid at <paramref name="now"/>
    /// (the renewal credential).
    /// </summary>
    public bool Verifies(X509Certificate2 certificate, DateTimeOffset now)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.CustomTrustStore.AddRange(_anchors.ToArray());
        chain.ChainPolicy.ExtraStore.Add(_issuer);
        chain.ChainPolicy.ExtraStore.AddRange(_intermediates.ToArray());

        return chain.Build(certificate);
    }

    /// <summary>Signs <paramref name="data"/> with the issuer key (ECDSA, SHA-256, IEEE P1363): the workload tokens (<see cref="WorkloadTokens"/>).</summary>
    public byte[] SignData(ReadOnlySpan<byte> data)
    {
        using var key = _issuer.GetECDsaPrivateKey() ?? throw new InvalidOperationException("the issuer has no ECDSA private key");
        return key.SignData(data, HashAlgorithmName.SHA256);
    }

    /// <summary>True when <paramref name="signature"/> is the issuer key's signature of <paramref name="data"/>.</summary>
    public bool VerifyData(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        using var key = _issuer.GetECDsaPublicKey() ?? throw new InvalidOperationException("the issuer has no ECDSA key");
        return key.VerifyData(data, signature, HashAlgorithmName.SHA256);
    }

    public void Dispose()
    {
        _issuer.Dispose();
        foreach (var certificate in _anchors.AddRange(_intermediates))
        {
            certificate.Dispose();
        }
    }

    /// <summary>17 bytes: 0x01, then 128 random bits (positive, minimal DER INTEGER, never zero).</summary>
    private static byte[] NewSerial()
    {
        var serial = new byte[17];
        serial[0] = 0x01;
        RandomNumberGenerator.Fill(serial.AsSpan(1));
        return serial;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
