// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Authorization;
using Acgs.Contracts.Validation;

namespace Acgs.Contracts.Config;

public static partial class ConfigSnapshotValidator
{
    private static void ValidateAuthorization(AuthorizationConfig? authorization, List<string> errors)
    {
        if (authorization is null)
        {
            return;
        }

        var builder = new ValidationBuilder();
        if (!Enum.IsDefined(authorization.DefaultAction))
        {
            builder.Add("authorization.default_action", "must be allow or deny");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var rules = 0;
        for (var i = 0; i < authorization.Policies.Length; i++)
        {
            var at = ValidationPath.Index("authorization.policies", i);
            if (authorization.Policies[i] is not { } policy)
            {
                builder.Add(at, "must be an object");
                continue;
            }

            if (builder.Name(policy.Name, ValidationPath.Child(at, "name")) && !names.Add(policy.Name))
            {
                builder.Add(ValidationPath.Child(at, "name"), "repeats another policy's name");
            }

            if (!Enum.IsDefined(policy.Action))
            {
                builder.Add(ValidationPath.Child(at, "action"), "must be allow or deny");
            }

            if (policy.Rules.IsEmpty)
            {
                builder.Add(ValidationPath.Child(at, "rules"), "at least one rule is required");
            }

            rules += policy.Rules.Length;
            AuthorizationRules.Validate(policy.Rules, builder, ValidationPath.Child(at, "rules"));
        }

        if (rules > AuthorizationConfig.MaxRules)
        {
            builder.Add("authorization.policies", $"must hold at most {AuthorizationConfig.MaxRules} rules in all, got {rules}");
        }

        foreach (var error in builder.Build().Errors)
        {
            errors.Add(error.ToString());
        }
    }
}
