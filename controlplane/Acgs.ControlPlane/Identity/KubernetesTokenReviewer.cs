// Constitutional Hash: cdd01ef066bc6cf2

using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Acgs.ControlPlane.Identity;

/// <summary>
/// <see cref="ITokenReviewer"/> through KubernetesClient: <c>POST /apis/authentication.k8s.io/v1/tokenreviews</c> with
/// the audience, then, for a token bound to a pod, the pod's <c>acgs.io/constitutional-hash</c> annotation. The control
/// plane's ServiceAccount needs <c>create tokenreviews</c> and <c>get pods</c>.
/// </summary>
internal sealed class KubernetesTokenReviewer : ITokenReviewer, IDisposable
{
    /// <summary>The pod annotation declaring the workload's constitutional hash.</summary>
    public const string HashAnnotation = "acgs.io/constitutional-hash";

    private const string ServiceAccountPrefix = "system:serviceaccount:";
    private const string PodNameExtra = "authentication.kubernetes.io/pod-name";
    private readonly Kubernetes _client;

    public KubernetesTokenReviewer(IdentityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = options.KubernetesApi == "in-cluster"
            ? KubernetesClientConfiguration.InClusterConfig()
            : new KubernetesClientConfiguration
            {
                Host = options.KubernetesApi,
                AccessToken = options.KubernetesApiTokenFile is { } file ? File.ReadAllText(file).Trim() : null,
            };
        _client = new Kubernetes(config);
    }

    public async Task<TokenReviewOutcome> ReviewAsync(string token, string audience, CancellationToken cancellationToken)
    {
        V1TokenReview review;
        try
        {
            review = await _client.AuthenticationV1.CreateTokenReviewAsync(
                new V1TokenReview { Spec = new V1TokenReviewSpec { Token = token, Audiences = [audience] } },
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex)
        {
            throw new HttpRequestException("TokenReview failed: " + (int)ex.Response.StatusCode, ex);
        }

        var status = review.Status;
        if (status?.Authenticated != true)
        {
            return new TokenReviewOutcome(false, false, null, null, null);
        }

        var audienceMatched = status.Audiences is { } audiences && audiences.Contains(audience);
        var user = status.User?.Username;
        if (user is null || !user.StartsWith(ServiceAccountPrefix, StringComparison.Ordinal)
            || user[ServiceAccountPrefix.Length..].Split(':') is not [{ Length: > 0 } ns, { Length: > 0 } sa])
        {
            return new TokenReviewOutcome(true, audienceMatched, null, null, null);
        }

        string? podHash = null;
        if (status.User?.Extra is { } extra && extra.TryGetValue(PodNameExtra, out var pods) && pods is [{ Length: > 0 } pod])
        {
            try
            {
                var found = await _client.CoreV1.ReadNamespacedPodAsync(pod, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
                podHash = found.Metadata?.Annotations is { } annotations && annotations.TryGetValue(HashAnnotation, out var hash) ? hash : null;
            }
            catch (HttpOperationException ex)
            {
                throw new HttpRequestException("reading the token's pod failed: " + (int)ex.Response.StatusCode, ex);
            }
        }

        return new TokenReviewOutcome(true, audienceMatched, ns, sa, podHash);
    }

    public void Dispose() => _client.Dispose();
}
