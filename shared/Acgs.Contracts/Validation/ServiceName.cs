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

    /// <summary>
    /// <paramref name="value"/> lower-cased and reduced to the allowed characters, at most <see cref="MaxLength"/> of them
    /// (empty when none is left): how a name from elsewhere (a Kubernetes label, a pod name) becomes a service name.
    /// </summary>
    public static string Reduce(string? value)
    {
        var lower = (value ?? string.Empty).ToLowerInvariant();
        var kept = new System.Text.StringBuilder(Math.Min(lower.Length, MaxLength));
        foreach (var c in lower)
        {
            if (kept.Length < MaxLength && CharacterRules.IsNameCharactersOnly([c]))
            {
                kept.Append(c);
            }
        }

        return kept.ToString();
    }
}
