// Constitutional Hash: cdd01ef066bc6cf2

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Acgs.Contracts.Identity;

namespace Acgs.ControlPlane.Identity;

internal sealed partial class IdentityService
{
    /// <summary>The identity the request's one credential proves (the CSR's names play no part).</summary>
    private Task<(CallerIdentity?, IdentityRefusal?)> AuthenticateAsync(CsrRequest request, CertificateRequest csr, CancellationToken cancellationToken)
    {
        if (request.JoinToken is { } joinToken)
        {
            return UseJoinTokenAsync(joinToken, request, cancellationToken);
        }

        if (request.KubernetesToken is { } kubernetesToken)
        {
            return ReviewAsync(kubernetesToken, request.ConstitutionalHash!, cancellationToken);
        }

        return Task.FromResult(Renew(request.Certificate!, request.ConstitutionalHash!, csr));
    }

    private async Task<(CallerIdentity?, IdentityRefusal?)> ReviewAsync(string token, string hash, CancellationToken cancellationToken)
    {
        if (_reviewer is null)
        {
            return (null, Refuse(400, IdentityReasons.KubernetesNotConfigured, "This control plane does not check Kubernetes tokens (ACGS_KUBERNETES_API is not set)."));
        }

        TokenReviewOutcome outcome;
        try
        {
            outcome = await _reviewer.ReviewAsync(token, _options.Audience, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            LogReviewFailed(ex.Message);
            return (null, Refuse(503, IdentityReasons.KubernetesUnavailable, "The Kubernetes API could not review the token; retry."));
        }

        if (!outcome.Authenticated)
        {
            return (null, Refuse(401, IdentityReasons.KubernetesTokenRejected, "The Kubernetes API did not authenticate the token (expired, revoked or forged)."));
        }

        if (!outcome.AudienceMatched)
        {
            return (null, Refuse(401, IdentityReasons.KubernetesAudience, "The token is not for audience '" + _options.Audience + "'."));
        }

        if (outcome.Namespace is not { } ns || outcome.ServiceAccount is not { } sa)
        {
            return (null, Refuse(401, IdentityReasons.KubernetesNotServiceAccount, "The token is not a ServiceAccount token."));
        }

        if (outcome.PodHash is { } podHash && !string.Equals(podHash, hash, StringComparison.Ordinal))
        {
            return (null, Refuse(403, IdentityReasons.PodHashMismatch, "The declared constitutional hash differs from the pod's acgs.io/constitutional-hash annotation."));
        }

        return (new CallerIdentity(SpiffeId.ForServiceAccount(_options.TrustDomain, ns, sa), "kubernetes", string.Empty), null);
    }

    private (CallerIdentity?, IdentityRefusal?) Renew(string pem, string hash, CertificateRequest csr)
    {
        X509Certificate2 current;
        try
        {
            current = X509Certificate2.CreateFromPem(pem);
        }
        catch (CryptographicException)
        {
            return (null, Refuse(400, IdentityReasons.CertificateMalformed, "certificate is not a PEM certificate."));
        }

        using (current)
        {
            var spiffeId = WorkloadCertificate.GetSpiffeId(current);
            if (!_authority.Current!.Verifies(current, _time.GetUtcNow()) || spiffeId is null || !SpiffeId.IsInTrustDomain(spiffeId, _options.TrustDomain))
            {
                return (null, Refuse(401, IdentityReasons.CertificateInvalid, "certificate is not a valid workload certificate of this mesh (expired, foreign or forged)."));
            }

            if (!current.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(csr.PublicKey.ExportSubjectPublicKeyInfo()))
            {
                return (null, Refuse(403, IdentityReasons.KeyMismatch, "A renewal CSR must be for the key of the current certificate."));
            }

            if (!string.Equals(WorkloadCertificate.GetConstitutionalHash(current), hash, StringComparison.Ordinal))
            {
                return (null, Refuse(403, IdentityReasons.HashScope, "A renewal keeps the certificate's constitutional hash; a new hash needs a new credential."));
            }

            return (new CallerIdentity(spiffeId, "renewal", " renewed_serial=" + current.SerialNumber.ToLowerInvariant()), null);
        }
    }
}
