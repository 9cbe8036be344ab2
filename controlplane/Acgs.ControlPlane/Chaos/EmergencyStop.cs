// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Chaos;

/// <summary>
/// An engaged chaos emergency stop (docs/control-plane.md), as stored: while it exists compiled snapshots carry
/// no fault rules and new FaultInjection versions or activations are refused.
/// </summary>
internal sealed record EmergencyStop
{
    /// <summary>Why it was engaged (operator text, 1–1024 characters).</summary>
    public required string Reason { get; init; }

    /// <summary>When it was engaged.</summary>
    public required DateTimeOffset EngagedAt { get; init; }

    /// <summary>Who engaged it (<c>admin</c> for the admin token).</summary>
    public required string EngagedBy { get; init; }
}
