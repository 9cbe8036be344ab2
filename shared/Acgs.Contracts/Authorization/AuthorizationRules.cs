// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using Acgs.Contracts.Validation;

namespace Acgs.Contracts.Authorization;

/// <summary>The one validation of authorization rules, used by the <c>Authorization</c> policy and by the snapshot.</summary>
public static class AuthorizationRules
{
    /// <summary>Most rules in one policy.</summary>
    public const int MaxRulesPerPolicy = 64;

    /// <summary>Most callers in one rule's <c>from</c>.</summary>
    public const int MaxFrom = 64;

    /// <summary>Most path prefixes in one rule's <c>to.paths</c>.</summary>
    public const int MaxPaths = 32;

    /// <summary>Adds every problem of <paramref name="rules"/> (at <paramref name="path"/>) to <paramref name="errors"/>.</summary>
    public static void Validate(ImmutableArray<AuthorizationRule> rules, ValidationBuilder errors, string path)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (rules.Length > MaxRulesPerPolicy)
        {
            errors.Add(path, $"must hold at most {MaxRulesPerPolicy} rules, got {rules.Length}");
        }

        for (var i = 0; i < rules.Length; i++)
        {
            var at = ValidationPath.Index(path, i);
            if (rules[i] is not { } rule)
            {
                errors.Add(at, "must be an object");
                continue;
            }

            ValidateFrom(rule.From, errors, ValidationPath.Child(at, "from"));
            if (rule.To is { } to)
            {
                ValidateTo(to, errors, ValidationPath.Child(at, "to"));
            }
        }
    }

    private static void ValidateFrom(ImmutableArray<string> from, ValidationBuilder errors, string path)
    {
        if (from.IsEmpty)
        {
            errors.Add(path, "at least one caller is required (\"*\" for any caller)");
        }
        else if (from.Length > MaxFrom)
        {
            errors.Add(path, $"must hold at most {MaxFrom} callers, got {from.Length}");
        }

        for (var i = 0; i < from.Length; i++)
        {
            if (!AuthorizationPrincipal.IsValid(from[i]))
            {
                errors.Add(ValidationPath.Index(path, i), AuthorizationPrincipal.Rule);
            }
        }
    }

    private static void ValidateTo(AuthorizationTarget to, ValidationBuilder errors, string path)
    {
        if (to.Paths.IsEmpty && to.Methods.IsEmpty)
        {
            errors.Add(path, "must name paths or methods (leave out \"to\" for every request)");
        }

        var paths = ValidationPath.Child(path, "paths");
        if (to.Paths.Length > MaxPaths)
        {
            errors.Add(paths, $"must hold at most {MaxPaths} path prefixes, got {to.Paths.Length}");
        }

        for (var i = 0; i < to.Paths.Length; i++)
        {
            errors.PathPrefix(to.Paths[i], ValidationPath.Index(paths, i));
        }

        var methods = ValidationPath.Child(path, "methods");
        for (var i = 0; i < to.Methods.Length; i++)
        {
            if (AuthorizationMethods.BitOfName(to.Methods[i]) == 0)
            {
                errors.Add(ValidationPath.Index(methods, i), "must be one of " + string.Join(", ", AuthorizationMethods.Names) + " (upper case)");
            }
        }
    }
}
