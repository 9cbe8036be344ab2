// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Leadership;

/// <summary>The embedded store's single replica: it always leads.</summary>
internal sealed class SoleLeadership : ILeadership
{
    /// <inheritdoc/>
    public bool IsLeader => true;

    /// <inheritdoc/>
    public LeaderInfo? Leader => null;

    /// <inheritdoc/>
    public event EventHandler<bool>? Changed
    {
        add { }
        remove { }
    }
}
