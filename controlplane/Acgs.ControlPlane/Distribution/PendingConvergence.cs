// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Distribution;

/// <summary>A change whose pushes are not all answered yet: watcher key → version awaited.</summary>
internal sealed class PendingConvergence(DateTimeOffset since, Dictionary<string, string> awaiting)
{
    /// <summary>When the change was committed.</summary>
    public DateTimeOffset Since { get; } = since;

    /// <summary>Watchers that have not answered yet.</summary>
    public Dictionary<string, string> Awaiting { get; } = awaiting;
}
