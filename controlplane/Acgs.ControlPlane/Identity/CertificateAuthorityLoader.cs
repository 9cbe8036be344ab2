// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Acgs.Contracts.Identity;

namespace Acgs.ControlPlane.Identity;

/// <summary>
/// Builds the <see cref="CertificateAuthority"/>: from the operator's PEM files (<c>ACGS_CA_CERT</c>, <c>ACGS_CA_KEY</c>,
/// optional <c>ACGS_TRUST_ANCHORS</c>), or from the generated CA kept in the store (created at first start: a
/// self-signed ECDSA P-256 root, 10 years). Problems are returned, one line each, never thrown.
/// </summary>
internal static class CertificateAuthorityLoader
{
    /// <summary>Lifetime of a generated root.</summary>
    public static readonly TimeSpan GeneratedLifetime = TimeSpan.FromDays(3650);

    /// <summary>A new self-signed root for <paramref name="trustDomain"/>: certificate PEM followed by its PKCS#8 key PEM.</summary>
    public static string Generate(string trustDomain, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName("CN=ACGS mesh root CA, O=ACGS mesh"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(SpiffeId.Prefix + trustDomain, UriKind.Absolute));
        request.CertificateExtensions.Add(san.Build(critical: false));
        var serial = new byte[17];
        serial[0] = 0x01;
        RandomNumberGenerator.Fill(serial.AsSpan(1));
        using var root = request.Create(request.SubjectName, X509SignatureGenerator.CreateForECDsa(key), now - TimeSpan.FromMinutes(5), now + GeneratedLifetime, serial);
        return root.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem() + "\n";
    }

    /// <summary>The generated CA from its stored PEM, plus the anchors of <c>ACGS_TRUST_ANCHORS</c> when set.</summary>
    public static CertificateAuthority? FromStoredPem(string pem, IdentityOptions options, List<string> errors)
    {
        try
        {
            var certificate = X509Certificate2.CreateFromPem(pem, pem);
            var anchors = new List<X509Certificate2> { X509CertificateLoader.LoadCertificate(certificate.RawData) };
            if (!AddAnchorsFile(options.TrustAnchorsPath, anchors, errors))
            {
                return null;
            }

            return new CertificateAuthority(certificate, [], [.. anchors], "generated");
        }
        catch (CryptographicException ex)
        {
            errors.Add("the stored identity CA cannot be read: " + ex.Message);
            return null;
        }
    }

    /// <summary>The operator's CA from <see cref="IdentityOptions.CaCertificatePath"/> and <see cref="IdentityOptions.CaKeyPath"/>.</summary>
    public static CertificateAuthority? FromFiles(IdentityOptions options, DateTimeOffset now, List<string> errors)
    {
        X509Certificate2Collection certificates;
        string keyPem;
        try
        {
            certificates = [];
            certificates.ImportFromPemFile(options.CaCertificatePath!);
            keyPem = File.ReadAllText(options.CaKeyPath!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            errors.Add($"ACGS_CA_CERT/ACGS_CA_KEY cannot be read: {ex.Message}");
            return null;
        }

        if (certificates.Count == 0)
        {
            errors.Add("ACGS_CA_CERT holds no PEM certificate");
            return null;
        }

        var issuerPublic = certificates[0];
        X509Certificate2 issuer;
        try
        {
            using var key = ECDsa.Create();
            key.ImportFromPem(keyPem);
            issuer = issuerPublic.CopyWithPrivateKey(key);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            errors.Add("ACGS_CA_KEY must be the ECDSA private key (PEM) of the first certificate in ACGS_CA_CERT: " + ex.Message);
            return null;
        }

        var anchors = new List<X509Certificate2>();
        var intermediates = new List<X509Certificate2>();
        foreach (var certificate in certificates)
        {
            (certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData) ? anchors : intermediates).Add(certificate);
        }

        intermediates.RemoveAll(c => c.RawDataMemory.Span.SequenceEqual(issuerPublic.RawDataMemory.Span));
        if (!AddAnchorsFile(options.TrustAnchorsPath, anchors, errors))
        {
            return null;
        }

        var problems = CheckIssuer(issuer, intermediates, anchors, now);
        if (problems.Count > 0)
        {
            errors.AddRange(problems);
            return null;
        }

        return new CertificateAuthority(issuer, [.. intermediates], [.. anchors], "files");
    }

    private static List<string> CheckIssuer(X509Certificate2 issuer, List<X509Certificate2> intermediates, List<X509Certificate2> anchors, DateTimeOffset now)
    {
        var problems = new List<string>();
        if (issuer.Extensions["2.5.29.19"] is not X509BasicConstraintsExtension { CertificateAuthority: true })
        {
            problems.Add("ACGS_CA_CERT: the first certificate is not a CA (basicConstraints CA:TRUE)");
        }

        if (issuer.NotAfter.ToUniversalTime() <= now.UtcDateTime || issuer.NotBefore.ToUniversalTime() > now.UtcDateTime)
        {
            problems.Add("ACGS_CA_CERT: the issuer certificate is not valid now");
        }

        if (anchors.Count == 0)
        {
            problems.Add("no trust anchor: ACGS_CA_CERT holds no self-signed certificate and ACGS_TRUST_ANCHORS is not set");
            return problems;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors.ToArray());
        chain.ChainPolicy.ExtraStore.AddRange(intermediates.ToArray());
        if (!chain.Build(issuer))
        {
            problems.Add("ACGS_CA_CERT: the issuer does not chain to a trust anchor: " + string.Join(", ", chain.ChainStatus.Select(static s => s.Status)));
        }

        return problems;
    }

    private static bool AddAnchorsFile(string? path, List<X509Certificate2> anchors, List<string> errors)
    {
        if (path is null)
        {
            return true;
        }

        try
        {
            X509Certificate2Collection extra = [];
            extra.ImportFromPemFile(path);
            foreach (var anchor in extra)
            {
                if (!anchors.Any(a => a.RawDataMemory.Span.SequenceEqual(anchor.RawDataMemory.Span)))
                {
                    anchors.Add(anchor);
                }
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            errors.Add("ACGS_TRUST_ANCHORS cannot be read: " + ex.Message);
            return false;
        }
    }
}
