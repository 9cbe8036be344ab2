// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Identity;

/// <summary>Stable reason codes of refused identity requests (problem <c>reason</c>, label of <c>acgs_controlplane_identity_refusals_total</c>).</summary>
internal static class IdentityReasons
{
    public const string MalformedRequest = "malformed_request";
    public const string CredentialMissing = "credential_missing";
    public const string CredentialAmbiguous = "credential_ambiguous";
    public const string HashInvalid = "hash_invalid";
    public const string HashNotAccepted = "hash_not_accepted";
    public const string CsrMalformed = "csr_malformed";
    public const string CsrKeyUnsupported = "csr_key_unsupported";
    public const string JoinTokenInvalid = "join_token_invalid";
    public const string JoinTokenExpired = "join_token_expired";
    public const string JoinTokenRevoked = "join_token_revoked";
    public const string JoinTokenUsed = "join_token_used";
    public const string HashScope = "hash_scope";
    public const string ServiceMismatch = "service_mismatch";
    public const string KubernetesNotConfigured = "kubernetes_not_configured";
    public const string KubernetesUnavailable = "kubernetes_unavailable";
    public const string KubernetesTokenRejected = "kubernetes_token_rejected";
    public const string KubernetesAudience = "kubernetes_token_audience";
    public const string KubernetesNotServiceAccount = "kubernetes_token_not_service_account";
    public const string PodHashMismatch = "pod_hash_mismatch";
    public const string CertificateMalformed = "certificate_malformed";
    public const string CertificateInvalid = "certificate_invalid";
    public const string KeyMismatch = "key_mismatch";
    public const string CaUnavailable = "ca_unavailable";

    /// <summary>Every reason, for pre-created metric children.</summary>
    public static readonly string[] All =
    [
        MalformedRequest, CredentialMissing, CredentialAmbiguous, HashInvalid, HashNotAccepted, CsrMalformed, CsrKeyUnsupported,
        JoinTokenInvalid, JoinTokenExpired, JoinTokenRevoked, JoinTokenUsed, HashScope, ServiceMismatch, KubernetesNotConfigured,
        KubernetesUnavailable, KubernetesTokenRejected, KubernetesAudience, KubernetesNotServiceAccount, PodHashMismatch,
        CertificateMalformed, CertificateInvalid, KeyMismatch, CaUnavailable,
    ];
}
