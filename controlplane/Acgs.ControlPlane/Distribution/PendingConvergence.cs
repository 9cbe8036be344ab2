// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Distribution;

/// <summary>
/// A change whose pushes are not all answered yet: watcher key → version awaited. It is registered before the
/// first push (an ACK can arrive while the rebuild is still pushing to other services) and can complete only
/// once <see cref="Sealed"/>, i.e. after the rebuild queued its last push. Guarded by the hub's pending lock.
/// </summary>
internal sealed class PendingConvergence(DateTimeOffset since, Dictionary<string, string> awaiting)
{
    /// <summary>When the change was committed.</summary>
    public DateTimeOffset Since { get; } = since;

    /// <summary>Watchers that have not answered yet.</summary>
    public Dictionary<string, string> Awaiting { get; } = awaiting;

    /// <summary>True once every push of the change was queued.</summary>
    public bool Sealed { get; set; }

    /// <summary>When the last awaited answer (ACK or NACK, not a disconnect) arrived, or null.</summary>
    public DateTimeOffset? LastAnswer { get; set; }
}
