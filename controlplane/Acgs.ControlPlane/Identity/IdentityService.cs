// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Acgs.ControlPlane.Audit;
using Acgs.ControlPlane.Store;
using Acgs.Contracts.Identity;
using Acgs.Core.ConstitutionalHash;
using Microsoft.Extensions.Logging;

namespace Acgs.ControlPlane.Identity;

/// <summary>
/// The certificate authority's request handling: checks a <see cref="CsrRequest"/> (CSR, key type, declared hash,
/// exactly one credential), derives the identity from the credential alone, signs, and records every issuance and
/// refusal in the audit chain, the metrics and the log. Nothing is issued (and no join-token use is spent) unless
/// every check passed.
/// </summary>
internal sealed partial class IdentityService
{
    /// <summary>Longest CSR PEM accepted.</summary>
    public const int MaxCsrLength = 16 * 1024;

    private const string EcPublicKeyOid = "1.2.840.10045.2.1";
    private const string P256Oid = "1.2.840.10045.3.1.7";
    private readonly IdentityOptions _options;
    private readonly CertificateAuthorityProvider _authority;
    private readonly IIdentityStore _store;
    private readonly IPolicyStore _audit;
    private readonly ConstitutionalHashSet _accepted;
    private readonly ITokenReviewer? _reviewer;
    private readonly TimeProvider _time;
    private readonly IdentityMetrics _metrics;
    private readonly ILogger _logger;

    public IdentityService(IdentityOptions options, CertificateAuthorityProvider authority, IIdentityStore store, IPolicyStore audit,
        ConstitutionalHashSet accepted, ITokenReviewer? reviewer, TimeProvider time, IdentityMetrics metrics, ILogger<IdentityService> logger)
    {
        _options = options;
        _authority = authority;
        _store = store;
        _audit = audit;
        _accepted = accepted;
        _reviewer = reviewer;
        _time = time;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>The trust domain and anchors; null before the CA is loaded.</summary>
    public TrustBundleView? TrustBundle => _authority.Current is { } ca
        ? new TrustBundleView { TrustDomain = _options.TrustDomain, TrustBundle = ca.TrustBundlePem }
        : null;

    /// <summary>Signs <paramref name="request"/> or says why not; <paramref name="remote"/> goes into the audit detail.</summary>
    public async Task<(CsrResponse? Issued, IdentityRefusal? Refusal)> SignAsync(CsrRequest? request, string remote, CancellationToken cancellationToken)
    {
        var credential = request is null ? "none" : Credential(request);
        var refusal = Check(request, out var csr);
        CallerIdentity? caller = null;
        if (refusal is null)
        {
            (caller, refusal) = await AuthenticateAsync(request!, csr!, cancellationToken).ConfigureAwait(false);
        }

        if (refusal is not null || caller is null)
        {
            refusal ??= Refuse(500, IdentityReasons.CaUnavailable, "no identity");
            await RecordRefusalAsync(refusal, credential, remote, request?.JoinToken, cancellationToken).ConfigureAwait(false);
            return (null, refusal);
        }

        var ca = _authority.Current!;
        using var certificate = ca.Issue(csr!.PublicKey, caller.SpiffeId, request!.ConstitutionalHash!, _time.GetUtcNow(), _options.CertificateTtl, _options.Backdate);
        var response = new CsrResponse
        {
            Certificate = certificate.ExportCertificatePem(),
            Chain = ca.ChainPem,
            TrustBundle = ca.TrustBundlePem,
            SpiffeId = caller.SpiffeId,
            ConstitutionalHash = request.ConstitutionalHash!,
            Serial = certificate.SerialNumber.ToLowerInvariant(),
            NotBefore = certificate.NotBefore.ToUniversalTime(),
            NotAfter = certificate.NotAfter.ToUniversalTime(),
        };
        // A token only for the service the workload says it fronts: a ServiceAccount named otherwise gets none (its sidecar
        // then uses the shared token, where that is accepted) rather than one that would be refused on every call.
        if (request.Node is { } node && WorkloadTokens.ServiceOf(caller.SpiffeId) is { } tokenService
            && (request.Service is null || string.Equals(request.Service, tokenService, StringComparison.Ordinal)))
        {
            var token = new WorkloadToken(caller.SpiffeId, tokenService, node,
                Convert.ToHexStringLower(SHA256.HashData(certificate.RawData)), response.NotAfter);
            response = response with { ControlPlaneToken = WorkloadTokens.Issue(ca, token), ControlPlaneTokenExpiresAt = token.ExpiresAt };
        }

        _metrics.Issued.WithLabels(caller.Credential).Inc();
        LogIssued(caller.SpiffeId, response.Serial, caller.Credential, response.ConstitutionalHash, response.NotAfter);
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"serial={response.Serial} credential={caller.Credential} hash={response.ConstitutionalHash} not_after={response.NotAfter:O} remote={remote}{caller.Detail}");
        await AppendAuditAsync(new AuditDraft(_time.GetUtcNow(), caller.SpiffeId, IdentityActions.Issue, caller.SpiffeId, null, detail), cancellationToken).ConfigureAwait(false);
        return (response, null);
    }

    /// <summary>Checks everything that needs no credential: shape, declared hash, CSR signature and key.</summary>
    private IdentityRefusal? Check(CsrRequest? request, out CertificateRequest? csr)
    {
        csr = null;
        if (request is null || string.IsNullOrWhiteSpace(request.Csr))
        {
            return Refuse(400, IdentityReasons.MalformedRequest, "csr (a PEM PKCS#10 request) is required.");
        }

        var credentials = (request.JoinToken is null ? 0 : 1) + (request.KubernetesToken is null ? 0 : 1) + (request.Certificate is null ? 0 : 1);
        if (credentials == 0)
        {
            return Refuse(400, IdentityReasons.CredentialMissing, "One credential is required: join_token, kubernetes_token or certificate (renewal).");
        }

        if (credentials > 1)
        {
            return Refuse(400, IdentityReasons.CredentialAmbiguous, "Exactly one of join_token, kubernetes_token and certificate may be given.");
        }

        if (request.ConstitutionalHash is not { } hash || !ConstitutionalHashSet.TryCreate([hash], out _, out _))
        {
            return Refuse(400, IdentityReasons.HashInvalid, "constitutional_hash must be 16 lowercase hexadecimal characters.");
        }

        if (!_accepted.Hashes.Contains(hash))
        {
            return Refuse(403, IdentityReasons.HashNotAccepted,
                "The declared constitutional hash (starting " + ConstitutionalHashValidator.SafePrefix(hash) + ") is not accepted by this mesh.");
        }

        if (request.Node is not null && !Acgs.Contracts.Validation.NodeId.IsValid(request.Node))
        {
            return Refuse(400, IdentityReasons.MalformedRequest, "node " + Acgs.Contracts.Validation.NodeId.Rule + ".");
        }

        if (request.Csr.Length > MaxCsrLength)
        {
            return Refuse(400, IdentityReasons.CsrMalformed, $"csr is longer than {MaxCsrLength} characters.");
        }

        try
        {
            csr = CertificateRequest.LoadSigningRequestPem(request.Csr, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return Refuse(400, IdentityReasons.CsrMalformed, "csr is not a PEM PKCS#10 request with a valid self-signature.");
        }

        if (csr.PublicKey.Oid.Value != EcPublicKeyOid || !IsP256(csr.PublicKey))
        {
            return Refuse(400, IdentityReasons.CsrKeyUnsupported, "The CSR's key must be ECDSA on curve P-256.");
        }

        return _authority.Current is null ? Refuse(503, IdentityReasons.CaUnavailable, "The certificate authority is not loaded yet.") : null;
    }

    private static bool IsP256(PublicKey key)
    {
        try
        {
            using var ecdsa = key.GetECDsaPublicKey();
            return ecdsa is not null && ecdsa.ExportParameters(false).Curve.Oid.Value == P256Oid;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static string Credential(CsrRequest request) =>
        request.JoinToken is not null ? "join_token" : request.KubernetesToken is not null ? "kubernetes" : request.Certificate is not null ? "renewal" : "none";

    private static IdentityRefusal Refuse(int status, string reason, string detail) => new(status, reason, detail);
}
