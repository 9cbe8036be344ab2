// Constitutional Hash: cdd01ef066bc6cf2

using System.Runtime.InteropServices;

namespace Acgs.Core.CircuitBreaker;

/// <summary>
/// The answer of <see cref="CircuitBreaker.TryAcquire"/>: whether a call may go through and, if so,
/// which breaker generation it belongs to. Pass it back to <see cref="CircuitBreaker.Record"/>.
/// </summary>
[StructLayout(LayoutKind.Auto)]
public readonly record struct CircuitPermit
{
    internal CircuitPermit(bool isAllowed, bool isTrial, long generation)
    {
        IsAllowed = isAllowed;
        IsTrial = isTrial;
        Generation = generation;
    }

    /// <summary>A refusal: the circuit is open, or half-open with its trial already in flight.</summary>
    public static CircuitPermit Rejected => default;

    /// <summary>True when the call may proceed.</summary>
    public bool IsAllowed { get; }

    /// <summary>True when this call is the single half-open trial.</summary>
    public bool IsTrial { get; }

    /// <summary>The breaker generation (bumped on every transition) the permit was issued in.</summary>
    internal long Generation { get; }
}
