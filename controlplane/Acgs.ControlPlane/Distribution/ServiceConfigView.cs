// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Compiler;

namespace Acgs.ControlPlane.Distribution;

/// <summary>
/// Whether a service's sidecars run its latest compiled configuration, as the status document shows it.
/// <see cref="ConfigState"/>: <c>compile_failed</c> (no snapshot compiles, even without quarantined policies: the sidecars keep the
/// previous one), <c>quarantined_policy</c> (published without a policy that stopped compiling), <c>stale</c> (a sidecar's ACKed
/// version lags <see cref="LatestVersion"/>; <see cref="StaleSidecars"/> names them), else <c>in_sync</c>.
/// </summary>
internal sealed record ServiceConfigView(
    string Service,
    string ConfigState,
    string? LatestVersion,
    IReadOnlyList<string> StaleSidecars,
    IReadOnlyList<QuarantinedPolicy> Quarantined,
    IReadOnlyList<string> CompileErrors)
{
    /// <summary>One view per service with a connected sidecar on this replica, ordered by service.</summary>
    public static List<ServiceConfigView> From(DistributionHub hub)
    {
        ArgumentNullException.ThrowIfNull(hub);
        var stale = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var watcher in hub.Watchers)
        {
            if (!stale.TryGetValue(watcher.ServiceName, out var nodes))
            {
                stale[watcher.ServiceName] = nodes = [];
            }

            var latest = hub.CurrentSnapshot(watcher.ServiceName)?.Version;
            if (latest is null || !string.Equals(watcher.AckedVersion, latest, StringComparison.Ordinal))
            {
                nodes.Add(watcher.NodeId);
            }
        }

        var views = new List<ServiceConfigView>(stale.Count);
        foreach (var (service, nodes) in stale)
        {
            nodes.Sort(StringComparer.Ordinal);
            var quarantined = hub.Quarantine.ForService(service);
            var errors = hub.Quarantine.FailingErrors(service);
            var state = errors.Count > 0 ? "compile_failed" : quarantined.Count > 0 ? "quarantined_policy" : nodes.Count > 0 ? "stale" : "in_sync";
            views.Add(new ServiceConfigView(service, state, hub.CurrentSnapshot(service)?.Version, nodes, quarantined, errors));
        }

        return views;
    }
}
