// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Identity;

/// <summary>
/// What a verified workload token says: the workload (<paramref name="SpiffeId"/>), the one service and node it may act for
/// on the control plane, the SHA-256 of the certificate it was issued with (hex) and its expiry.
/// </summary>
internal sealed record WorkloadToken(string SpiffeId, string Service, string Node, string CertificateSha256, DateTimeOffset ExpiresAt);
