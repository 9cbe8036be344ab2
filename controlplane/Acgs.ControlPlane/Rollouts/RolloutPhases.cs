// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Rollouts;

/// <summary>JSON names of <see cref="RolloutPhase"/> values.</summary>
internal static class RolloutPhases
{
    /// <summary>Every phase, in enum order (the metric series).</summary>
    public static readonly RolloutPhase[] All = [RolloutPhase.Progressing, RolloutPhase.Paused, RolloutPhase.Succeeded, RolloutPhase.RolledBack];

    /// <summary>The JSON name of <paramref name="phase"/>.</summary>
    public static string Name(RolloutPhase phase) => phase switch
    {
        RolloutPhase.Progressing => "progressing",
        RolloutPhase.Paused => "paused",
        RolloutPhase.Succeeded => "succeeded",
        _ => "rolled_back",
    };

    /// <summary>Parses a JSON name.</summary>
    public static bool TryParse(string? name, out RolloutPhase phase)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(Name(candidate), name, StringComparison.Ordinal))
            {
                phase = candidate;
                return true;
            }
        }

        phase = default;
        return false;
    }
}
