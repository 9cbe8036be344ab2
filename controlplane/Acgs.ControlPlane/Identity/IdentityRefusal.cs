// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Identity;

/// <summary>Why the CA refused a request: the HTTP status, a stable reason code (problem <c>reason</c>, metric label) and a detail for the caller.</summary>
internal sealed record IdentityRefusal(int Status, string Reason, string Detail);
