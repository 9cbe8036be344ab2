// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Policies;

/// <summary>Outcome class of a <see cref="PolicyRegistry"/> operation (maps onto HTTP statuses).</summary>
internal enum RegistryStatus
{
    /// <summary>Done (200).</summary>
    Ok = 0,

    /// <summary>Created (201).</summary>
    Created = 1,

    /// <summary>The policy or version does not exist (404).</summary>
    NotFound = 2,

    /// <summary>It already exists (409).</summary>
    Conflict = 3,

    /// <summary>The request or the content is invalid; see the errors (400).</summary>
    Invalid = 4,

    /// <summary>A chaos emergency stop is engaged: FaultInjection versions and activations are refused (409, <c>emergency_stop_engaged</c>).</summary>
    EmergencyStop = 5,

    /// <summary>The change would make at least one service's snapshot fail to compile (422); nothing changed.</summary>
    Uncompilable = 6,
}
