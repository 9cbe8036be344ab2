// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.Identity;

/// <summary>
/// A certificate signing request to the control plane's CA (<see cref="IdentityPaths.Csr"/>). Exactly one bootstrap
/// credential: <see cref="JoinToken"/> (outside Kubernetes), <see cref="KubernetesToken"/> (a projected ServiceAccount
/// token) or <see cref="Certificate"/> (renewal: the current certificate, for the same key). The CA ignores every name
/// in the CSR: the identity comes from the credential only.
/// </summary>
public sealed record CsrRequest
{
    /// <summary>PKCS#10 request, PEM (<c>-----BEGIN CERTIFICATE REQUEST-----</c>), ECDSA P-256, self-signed by the workload key.</summary>
    public string? Csr { get; init; }

    /// <summary>The constitutional hash the workload declares; must be accepted (and match the credential's scope).</summary>
    public string? ConstitutionalHash { get; init; }

    /// <summary>A join token (<c>&lt;id&gt;.&lt;secret&gt;</c>) scoped to one service.</summary>
    public string? JoinToken { get; init; }

    /// <summary>A Kubernetes projected ServiceAccount token (checked with a TokenReview).</summary>
    public string? KubernetesToken { get; init; }

    /// <summary>
    /// Optional: the service the workload fronts; a join token naming another is refused, and a control-plane token is issued
    /// only when the credential's service (the join token's, or the ServiceAccount's name) is this one.
    /// </summary>
    public string? Service { get; init; }

    /// <summary>Renewal: the workload's current certificate (PEM); the CSR must be for its key.</summary>
    public string? Certificate { get; init; }

    /// <summary>
    /// Optional: the sidecar's node id (<see cref="Validation.NodeId"/>). When given, the answer carries a control-plane token
    /// (<see cref="CsrResponse.ControlPlaneToken"/>) for this service and node.
    /// </summary>
    public string? Node { get; init; }
}
