// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Serialization;
using Acgs.Contracts.RateLimiting;
using Acgs.Contracts.Validation;

namespace Acgs.Contracts.Policies;

/// <summary>
/// A quota enforced as a local rate limit (kind <c>RateLimit</c>, docs/metering.md): each sidecar of the target keeps a
/// token bucket of <see cref="Burst"/> tokens refilled at <see cref="RequestsPerSecond"/> per <see cref="Per"/> key; a
/// request past the budget gets 429. Limits are per sidecar replica, as Envoy's and Linkerd's local limits are.
/// </summary>
/// <param name="RequestsPerSecond">Refill rate (0.001–1000000). Required.</param>
/// <param name="Burst">Bucket capacity (1–1000000); left out = one second's worth (at least 1).</param>
/// <param name="Per">service (default: one bucket), caller (per identity) or tenant (per <c>x-acgs-tenant</c>).</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RateLimitSpec(double RequestsPerSecond = 0, int Burst = 0, RateLimitKey Per = RateLimitKey.Service) : PolicySpec
{
    /// <inheritdoc/>
    [JsonIgnore]
    public override PolicyKind Kind => PolicyKind.RateLimit;

    internal override void Validate(ValidationBuilder errors, string path) =>
        RateLimits.Validate(RequestsPerSecond, Burst, Per, burstOptional: true, errors, path);
}
