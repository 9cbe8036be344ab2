// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Distribution;

/// <summary>A connected sidecar as <c>GET /api/v1/discovery/sidecars</c> shows it.</summary>
internal sealed record WatcherView(string ServiceName, string NodeId, string Address, DateTimeOffset ConnectedAt, string? PushedVersion, string? AckedVersion, string? NackedVersion, IReadOnlyList<string> LastErrors)
{
    /// <summary>Every watcher's view, ordered by service, then node (the sidecars API and the status page).</summary>
    public static List<WatcherView> Sorted(IEnumerable<Watcher> watchers)
    {
        ArgumentNullException.ThrowIfNull(watchers);
        var views = new List<WatcherView>();
        foreach (var w in watchers)
        {
            views.Add(new WatcherView(w.ServiceName, w.NodeId, w.Address, w.ConnectedAt, w.PushedVersion, w.AckedVersion, w.NackedVersion, w.LastErrors));
        }

        views.Sort(static (a, b) => string.CompareOrdinal(a.ServiceName, b.ServiceName) is var c and not 0 ? c : string.CompareOrdinal(a.NodeId, b.NodeId));
        return views;
    }
}
