// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Rollouts;

/// <summary>The rollout strategies.</summary>
internal static class RolloutStrategies
{
    /// <summary>Stepped weights (the default).</summary>
    public const string Canary = "canary";

    /// <summary>A pre-promotion analysis window with green at 0 %, then the switch to 100 %, then an optional post-promotion window.</summary>
    public const string BlueGreen = "blue_green";
}
