// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Policies;

/// <summary>Audit action names.</summary>
internal static class PolicyActions
{
    /// <summary>A policy was created.</summary>
    public const string Create = "policy.create";

    /// <summary>A version was added.</summary>
    public const string CreateVersion = "policy.version.create";

    /// <summary>A version was activated (and the previous one retired).</summary>
    public const string Activate = "policy.activate";

    /// <summary>An active version was deactivated (the policy stays, with no active version).</summary>
    public const string Deactivate = "policy.deactivate";

    /// <summary>A policy was deleted with its versions.</summary>
    public const string Delete = "policy.delete";

    /// <summary>The chaos emergency stop was engaged.</summary>
    public const string EmergencyStopEngage = "chaos.emergency_stop.engage";

    /// <summary>The chaos emergency stop was lifted.</summary>
    public const string EmergencyStopLift = "chaos.emergency_stop.lift";
}
