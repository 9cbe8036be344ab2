// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Recovery;

/// <summary>The JSON and environment-variable spellings of the recovery enums (lowercase, snake_case).</summary>
internal static class RecoveryNames
{
    /// <summary>Every strategy name, for error messages.</summary>
    public const string Strategies = "exponential, linear, immediate or manual";

    /// <summary>The name of <paramref name="strategy"/>.</summary>
    public static string Of(RecoveryStrategy strategy) => strategy switch
    {
        RecoveryStrategy.Exponential => "exponential",
        RecoveryStrategy.Linear => "linear",
        RecoveryStrategy.Immediate => "immediate",
        _ => "manual",
    };

    /// <summary>The name of <paramref name="state"/>.</summary>
    public static string Of(RecoveryTaskState state) => state switch
    {
        RecoveryTaskState.Pending => "pending",
        RecoveryTaskState.AwaitingOperator => "awaiting_operator",
        RecoveryTaskState.Succeeded => "succeeded",
        RecoveryTaskState.Failed => "failed",
        _ => "cancelled",
    };

    /// <summary>Parses a strategy name (case-insensitive, surrounding spaces ignored).</summary>
    public static bool TryParseStrategy(string? text, out RecoveryStrategy strategy)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "EXPONENTIAL":
                strategy = RecoveryStrategy.Exponential;
                return true;
            case "LINEAR":
                strategy = RecoveryStrategy.Linear;
                return true;
            case "IMMEDIATE":
                strategy = RecoveryStrategy.Immediate;
                return true;
            case "MANUAL":
                strategy = RecoveryStrategy.Manual;
                return true;
            default:
                strategy = default;
                return false;
        }
    }
}
