// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;

namespace Acgs.ControlPlane.Policies;

/// <summary>Body of <c>POST /api/v1/policies/{id}/versions</c>: a semantic version and the policy document.</summary>
internal sealed record CreateVersionRequest(string? Version, JsonElement? Content);
