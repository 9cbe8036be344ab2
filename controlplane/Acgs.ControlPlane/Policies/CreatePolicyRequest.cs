// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Policies;

/// <summary>Body of <c>POST /api/v1/policies</c>.</summary>
internal sealed record CreatePolicyRequest(string? Id, string? Description);
