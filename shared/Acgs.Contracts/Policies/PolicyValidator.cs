// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Validation;
using Acgs.Core.ConstitutionalHash;

namespace Acgs.Contracts.Policies;

/// <summary>
/// Validates a <see cref="PolicyDocument"/> and reports every problem at once: unknown kind, bad name or target,
/// a constitutional hash that is not accepted (never echoing an accepted value), a missing or mismatched spec,
/// and every out-of-range spec value. The control plane and the sidecars use this same validator.
/// </summary>
public sealed class PolicyValidator
{
    private readonly ConstitutionalHashValidator _hashes;

    /// <summary>A validator accepting the hashes in <paramref name="accepted"/>.</summary>
    public PolicyValidator(ConstitutionalHashSet accepted)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        _hashes = new ConstitutionalHashValidator(accepted);
    }

    /// <summary>A validator accepting only the default hash.</summary>
    public static PolicyValidator Default { get; } = new(ConstitutionalHashSet.Default);

    /// <summary>Every problem with <paramref name="policy"/>; valid when empty.</summary>
    public ValidationResult Validate(PolicyDocument? policy)
    {
        var errors = new ValidationBuilder();
        if (policy is null)
        {
            return errors.Add(string.Empty, "a policy is required").Build();
        }

        var kindKnown = false;
        var kind = default(PolicyKind);
        if (errors.Required(policy.Kind, "kind"))
        {
            kindKnown = PolicyKinds.TryParse(policy.Kind, out kind);
            if (!kindKnown)
            {
                errors.Add("kind", "is not a known policy kind; expected one of " + string.Join(", ", PolicyKinds.Names));
            }
        }

        errors.Name(policy.Name, "name");
        if (!policy.IsMeshWide)
        {
            errors.ServiceName(policy.Target, "target");
        }

        if (kindKnown && kind == PolicyKind.TrafficSplit && policy.IsMeshWide)
        {
            errors.Add("target", "a TrafficSplit must target one service, not the mesh");
        }

        if (kindKnown && policy.Spec is AuthorizationSpec { DefaultAction: not null } && !policy.IsMeshWide)
        {
            errors.Add("spec.default_action", "is mesh-wide only: set it on a policy whose target is \"mesh\"");
        }

        errors.ConstitutionalHash(policy.ConstitutionalHash, _hashes, "constitutional_hash");

        if (kindKnown)
        {
            if (policy.Spec is null)
            {
                errors.Add("spec", "is required");
            }
            else if (policy.Spec.Kind != kind)
            {
                errors.Add("spec", $"is a {PolicyKinds.ToName(policy.Spec.Kind)} spec but kind is {policy.Kind}");
            }
            else
            {
                policy.Spec.Validate(errors, "spec");
            }
        }

        return errors.Build();
    }
}
