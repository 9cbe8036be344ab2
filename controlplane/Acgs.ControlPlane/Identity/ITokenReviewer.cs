// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Identity;

/// <summary>Checks a Kubernetes projected ServiceAccount token (a TokenReview).</summary>
internal interface ITokenReviewer
{
    /// <summary>Reviews <paramref name="token"/> for <paramref name="audience"/>; throws <see cref="HttpRequestException"/> when the API cannot be asked.</summary>
    Task<TokenReviewOutcome> ReviewAsync(string token, string audience, CancellationToken cancellationToken);
}
