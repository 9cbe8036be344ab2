// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.RateLimiting;

/// <summary>
/// The local rate limit of a snapshot's service (JSON <c>rate_limit</c>), compiled from the <c>RateLimit</c> policy that
/// targets it (or the mesh's): a token bucket of <see cref="Burst"/> tokens refilled at <see cref="RequestsPerSecond"/>,
/// one per <see cref="Per"/> key, held by each sidecar replica on its own. Null in a snapshot = no limit.
/// </summary>
public sealed record RateLimitConfig
{
    /// <summary>The policy's name (JSON <c>name</c>).</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Refill rate of each bucket (JSON <c>requests_per_second</c>).</summary>
    public double RequestsPerSecond { get; init; }

    /// <summary>Capacity of each bucket: the most requests let through at once after a quiet period (JSON <c>burst</c>).</summary>
    public int Burst { get; init; }

    /// <summary>What one bucket counts (JSON <c>per</c>).</summary>
    public RateLimitKey Per { get; init; } = RateLimitKey.Service;
}
