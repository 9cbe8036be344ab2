// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Identity;

/// <summary>A stored join token: never the secret, only its SHA-256 (hex).</summary>
internal sealed record JoinTokenRecord
{
    public string Id { get; init; } = string.Empty;

    public string Service { get; init; } = string.Empty;

    public string ConstitutionalHash { get; init; } = string.Empty;

    public string SecretSha256 { get; init; } = string.Empty;

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }

    public int MaxUses { get; init; } = 1;

    public int Uses { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }
}
