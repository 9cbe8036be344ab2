// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Acgs.Contracts.Authorization;
using Acgs.Contracts.Validation;

namespace Acgs.Contracts.Policies;

/// <summary>
/// Who may call a service, or every service (kind <c>Authorization</c>, docs/authorization.md), with Istio's semantics:
/// deny rules first; when any allow rule applies to a service, a request matching none is denied; otherwise the mesh's
/// default action (allow unless a mesh-wide policy sets <c>default_action: deny</c>).
/// </summary>
/// <param name="Action">allow (default) or deny: what the rules do to the requests they match.</param>
/// <param name="Rules">The rules (0–64; none only for a policy that only sets <c>default_action</c>).</param>
/// <param name="Enforce">False = dry run: decisions are counted and logged as "would deny", nothing is blocked.</param>
/// <param name="DefaultAction">Mesh-wide policies only: what a request no allow policy applies to gets.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AuthorizationSpec(
    AuthorizationAction Action = AuthorizationAction.Allow,
    ImmutableArray<AuthorizationRule> Rules = default,
    bool Enforce = true,
    AuthorizationAction? DefaultAction = null) : PolicySpec
{
    /// <inheritdoc/>
    [JsonIgnore]
    public override PolicyKind Kind => PolicyKind.Authorization;

    /// <summary>The rules (0–64; none only for a policy that only sets <c>default_action</c>).</summary>
    public ImmutableArray<AuthorizationRule> Rules { get; init => field = value.IsDefault ? [] : value; } = Rules.IsDefault ? [] : Rules;

    internal override void Validate(ValidationBuilder errors, string path)
    {
        if (!Enum.IsDefined(Action))
        {
            errors.Add(ValidationPath.Child(path, "action"), "must be allow or deny");
        }

        if (DefaultAction is { } fallback && !Enum.IsDefined(fallback))
        {
            errors.Add(ValidationPath.Child(path, "default_action"), "must be allow or deny");
        }

        if (Rules.IsEmpty && DefaultAction is null)
        {
            errors.Add(ValidationPath.Child(path, "rules"), "at least one rule is required (or default_action, on a mesh-wide policy)");
        }

        AuthorizationRules.Validate(Rules, errors, ValidationPath.Child(path, "rules"));
    }
}
