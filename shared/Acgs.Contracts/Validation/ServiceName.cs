// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.Validation;

/// <summary>
/// The one service-name rule of the mesh: 1–253 characters of lowercase letters, digits, '-', '.' and '_'. A sidecar's
/// service, a snapshot's <c>service_name</c>, a policy's target and the names in the control plane's URLs all follow it.
/// </summary>
public static class ServiceName
{
    /// <summary>Longest service name.</summary>
    public const int MaxLength = 253;

    /// <summary>What a bad name is told (after its path).</summary>
    public const string Rule = "must be 1-253 characters of lowercase letters, digits, '-', '.', '_'";

    /// <summary>True when <paramref name="value"/> is a service name.</summary>
    public static bool IsValid(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxLength && CharacterRules.IsNameCharactersOnly(value);
}
