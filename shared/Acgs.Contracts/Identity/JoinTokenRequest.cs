// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.Identity;

/// <summary>Mint a join token (admin, <see cref="IdentityPaths.JoinTokens"/>): one service, one constitutional hash.</summary>
public sealed record JoinTokenRequest
{
    /// <summary>The service the token may obtain an identity for (<c>spiffe://&lt;trust domain&gt;/svc/&lt;service&gt;</c>).</summary>
    public string? Service { get; init; }

    /// <summary>The constitutional hash the workload runs under; default the control plane's primary hash. Must be accepted.</summary>
    public string? ConstitutionalHash { get; init; }

    /// <summary>Lifetime in seconds (1–2592000); default 3600.</summary>
    public int? TtlSeconds { get; init; }

    /// <summary>How many certificate requests may use it (1–1000); default 1.</summary>
    public int? MaxUses { get; init; }
}
