// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Serialization;

namespace Acgs.ControlPlane.Rollouts;

/// <summary>Optional body of <c>POST /api/v1/rollouts/{id}/abort</c>: <c>{"reason":"..."}</c> (recorded with the rollback).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record AbortRolloutRequest(string? Reason = null);
