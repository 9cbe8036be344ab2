// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.RegularExpressions;

namespace Acgs.ControlPlane.Policies;

/// <summary>Semantic Versioning 2.0.0 syntax (<c>1.2.3</c>, <c>1.2.3-rc.1+build.5</c>).</summary>
internal static partial class SemanticVersion
{
    /// <summary>True when <paramref name="value"/> is a valid SemVer 2.0.0 version of at most 64 characters.</summary>
    public static bool IsValid(string? value) =>
        value is { Length: > 0 and <= 64 } && Pattern().IsMatch(value);

    // The regular expression published at semver.org.
    [GeneratedRegex(@"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Pattern();
}
