// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;

namespace Acgs.Contracts.Authorization;

/// <summary>
/// The authorization of a snapshot's service (JSON <c>authorization</c>): every <c>Authorization</c> policy that
/// targets it or the mesh, and the mesh's default action. Null in a snapshot = every caller allowed.
/// </summary>
public sealed record AuthorizationConfig
{
    /// <summary>Most rules in one snapshot (over all its policies).</summary>
    public const int MaxRules = 256;

    /// <summary>What a request no allow policy applies to gets (JSON <c>default_action</c>).</summary>
    public AuthorizationAction DefaultAction { get; init; } = AuthorizationAction.Allow;

    /// <summary>False when <see cref="DefaultAction"/> comes from a dry-run policy: then it is only counted as "would deny" (JSON <c>default_action_enforce</c>).</summary>
    public bool DefaultActionEnforce { get; init; } = true;

    /// <summary>The policies (JSON <c>policies</c>).</summary>
    public ImmutableArray<AuthorizationPolicyConfig> Policies { get; init => field = value.IsDefault ? [] : value; } = [];
}
