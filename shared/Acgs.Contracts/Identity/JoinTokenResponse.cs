// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.Identity;

/// <summary>A minted join token (201). <see cref="Token"/> is shown once: the control plane keeps only its SHA-256.</summary>
public sealed record JoinTokenResponse
{
    /// <summary>The token's id (the part before the dot; also the id to revoke).</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>The secret token, <c>&lt;id&gt;.&lt;secret&gt;</c>; null in listings.</summary>
    public string? Token { get; init; }

    /// <summary>The service it is scoped to.</summary>
    public string Service { get; init; } = string.Empty;

    /// <summary>The SPIFFE ID a certificate obtained with it carries.</summary>
    public string SpiffeId { get; init; } = string.Empty;

    /// <summary>The constitutional hash it is scoped to.</summary>
    public string ConstitutionalHash { get; init; } = string.Empty;

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Expiry.</summary>
    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Uses allowed.</summary>
    public int MaxUses { get; init; }

    /// <summary>Uses so far.</summary>
    public int Uses { get; init; }

    /// <summary>When it was revoked, or null.</summary>
    public DateTimeOffset? RevokedAt { get; init; }
}
