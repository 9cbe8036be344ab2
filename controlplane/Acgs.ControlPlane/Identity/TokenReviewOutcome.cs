// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Identity;

/// <summary>What a TokenReview said about a token.</summary>
/// <param name="Authenticated">The API server accepted the token (signature, expiry, bound pod alive).</param>
/// <param name="AudienceMatched">The token is for the requested audience.</param>
/// <param name="Namespace">From <c>system:serviceaccount:&lt;ns&gt;:&lt;sa&gt;</c>, or null for another kind of user.</param>
/// <param name="ServiceAccount">The ServiceAccount name, or null.</param>
/// <param name="PodHash">The pod's <c>acgs.io/constitutional-hash</c> annotation when the token is bound to a pod that has one.</param>
internal sealed record TokenReviewOutcome(bool Authenticated, bool AudienceMatched, string? Namespace, string? ServiceAccount, string? PodHash);
