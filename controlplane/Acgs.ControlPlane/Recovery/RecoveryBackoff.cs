// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Recovery;

/// <summary>The wait before each attempt of a recovery task.</summary>
internal static class RecoveryBackoff
{
    /// <summary>
    /// The wait before attempt <paramref name="attempt"/> (1-based; the first attempt waits too, counted from when the
    /// task was queued, the others from the previous attempt): exponential initial × multiplier^(attempt-1), linear
    /// initial × attempt, both capped at the maximum; immediate zero; manual null (an operator decides).
    /// </summary>
    public static TimeSpan? Delay(RecoveryStrategy strategy, int attempt, RecoveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        double ms;
        switch (strategy)
        {
            case RecoveryStrategy.Immediate:
                return TimeSpan.Zero;
            case RecoveryStrategy.Manual:
                return null;
            case RecoveryStrategy.Linear:
                ms = options.InitialDelay.TotalMilliseconds * attempt;
                break;
            default:
                ms = options.InitialDelay.TotalMilliseconds * Math.Pow(options.Multiplier, Math.Min(attempt - 1, 1000));
                break;
        }

        var cap = options.MaxDelay.TotalMilliseconds;
        return TimeSpan.FromMilliseconds(double.IsFinite(ms) && ms < cap ? ms : cap);
    }
}
