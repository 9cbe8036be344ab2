// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Core.CircuitBreaker;

/// <summary>
/// The one spelling of <see cref="CircuitState"/> outside the process: <c>closed</c>, <c>half_open</c>, <c>open</c>. Used by the
/// health report a sidecar sends, the control plane that reads it, the sidecar's admin API and its metric labels.
/// </summary>
public static class CircuitStateNames
{
    /// <summary>The name of <see cref="CircuitState.Closed"/>.</summary>
    public const string Closed = "closed";

    /// <summary>The name of <see cref="CircuitState.HalfOpen"/>.</summary>
    public const string HalfOpen = "half_open";

    /// <summary>The name of <see cref="CircuitState.Open"/>.</summary>
    public const string Open = "open";

    /// <summary>The wire name of <paramref name="state"/>; an undefined value counts as <c>open</c> (the cautious reading).</summary>
    public static string Of(CircuitState state) => state switch
    {
        CircuitState.Closed => Closed,
        CircuitState.HalfOpen => HalfOpen,
        _ => Open,
    };

    /// <summary>Reads a wire name (exact, lowercase); false for anything else.</summary>
    public static bool TryParse(string? name, out CircuitState state)
    {
        switch (name)
        {
            case Closed:
                state = CircuitState.Closed;
                return true;
            case HalfOpen:
                state = CircuitState.HalfOpen;
                return true;
            case Open:
                state = CircuitState.Open;
                return true;
            default:
                state = CircuitState.Open;
                return false;
        }
    }
}
