// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;

namespace Acgs.ControlPlane.Policies;

/// <summary>The body of <c>POST /api/v1/policies/validate</c>: the policy id the content would be activated under, and the policy document.</summary>
internal sealed record ValidatePolicyRequest(string? Id, JsonElement? Content);
