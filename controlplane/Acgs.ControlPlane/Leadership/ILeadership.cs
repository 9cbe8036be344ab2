// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Leadership;

/// <summary>Whether this replica leads: only the leader runs rollouts and recovery; the others forward those calls to it.</summary>
internal interface ILeadership
{
    /// <summary>True while this replica holds the lease.</summary>
    bool IsLeader { get; }

    /// <summary>The current leader as last read (this replica when it leads), or null while none is known.</summary>
    LeaderInfo? Leader { get; }

    /// <summary>Raised (on the election's own thread) when this replica gains (true) or loses (false) the lead.</summary>
    event EventHandler<bool>? Changed;
}
