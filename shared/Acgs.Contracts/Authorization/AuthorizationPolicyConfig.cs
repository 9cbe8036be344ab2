// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;

namespace Acgs.Contracts.Authorization;

/// <summary>One compiled <c>Authorization</c> policy in a snapshot (JSON <c>authorization.policies[]</c>).</summary>
public sealed record AuthorizationPolicyConfig
{
    /// <summary>The policy's name (JSON <c>name</c>); a rule is named <c>&lt;name&gt;#&lt;index&gt;</c> in denials and metrics.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>allow or deny (JSON <c>action</c>).</summary>
    public AuthorizationAction Action { get; init; } = AuthorizationAction.Allow;

    /// <summary>False = dry run (JSON <c>enforce</c>): its decisions are counted and logged as "would deny", nothing is blocked.</summary>
    public bool Enforce { get; init; } = true;

    /// <summary>The rules (JSON <c>rules</c>).</summary>
    public ImmutableArray<AuthorizationRule> Rules { get; init => field = value.IsDefault ? [] : value; } = [];
}
