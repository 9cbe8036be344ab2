// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Rollouts;

/// <summary>Where a rollout is (JSON: <c>progressing</c>, <c>paused</c>, <c>succeeded</c>, <c>rolled_back</c>).</summary>
internal enum RolloutPhase
{
    /// <summary>Active: waiting out the current step's pause while analysis runs.</summary>
    Progressing = 0,

    /// <summary>Active, held: paused by an operator or at a step that waits for a resume; analysis keeps running and can still roll back.</summary>
    Paused = 1,

    /// <summary>Finished: 100 % of the traffic goes to green.</summary>
    Succeeded = 2,

    /// <summary>Finished: 100 % of the traffic went back to blue (analysis failed, or aborted).</summary>
    RolledBack = 3,
}
