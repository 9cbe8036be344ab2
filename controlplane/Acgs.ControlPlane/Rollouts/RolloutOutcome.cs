// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Rollouts;

/// <summary>Outcome class of a <see cref="RolloutManager"/> operation (maps onto HTTP statuses).</summary>
internal enum RolloutOutcome
{
    /// <summary>Done (200).</summary>
    Ok = 0,

    /// <summary>Created (201).</summary>
    Created = 1,

    /// <summary>The request is invalid; see the errors (400).</summary>
    Invalid = 2,

    /// <summary>No such rollout (404).</summary>
    NotFound = 3,

    /// <summary>The blue or green cluster has no sidecars and no static destinations (404, <c>unknown_service</c>).</summary>
    UnknownService = 4,

    /// <summary>The service already has an active rollout (409, <c>rollout_active</c>).</summary>
    ActiveRolloutExists = 5,

    /// <summary>The rollout has finished; it cannot be changed (409, <c>rollout_finished</c>).</summary>
    Finished = 6,

    /// <summary>The policy registry refused the weight change, e.g. a conflicting policy (409, <c>split_rejected</c>).</summary>
    SplitRejected = 7,
}
