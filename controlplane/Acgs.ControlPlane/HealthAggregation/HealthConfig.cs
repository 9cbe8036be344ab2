// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Distribution;

namespace Acgs.ControlPlane.HealthAggregation;

/// <summary>
/// Joins the health views with the config state the distribution hub knows (the sidecars watching this replica): per service its
/// <see cref="ServiceConfigView"/>, per node in_sync / stale / nacked and its ACKed version, and for the mesh the services whose
/// sidecars do not run their latest compiled configuration.
/// </summary>
internal static class HealthConfig
{
    /// <summary><paramref name="views"/> with their config state (unchanged without a hub).</summary>
    public static List<ServiceHealthView> Attach(IReadOnlyList<ServiceHealthView> views, DistributionHub? hub)
    {
        ArgumentNullException.ThrowIfNull(views);
        var configs = hub is null ? [] : ServiceConfigView.From(hub);
        var attached = new List<ServiceHealthView>(views.Count);
        foreach (var view in views)
        {
            attached.Add(Attach(view, hub, configs));
        }

        return attached;
    }

    /// <summary><paramref name="view"/> with its config state (unchanged without a hub).</summary>
    public static ServiceHealthView Attach(ServiceHealthView view, DistributionHub? hub) =>
        Attach(view, hub, hub is null ? [] : ServiceConfigView.From(hub));

    /// <summary><paramref name="mesh"/> with the services whose config is stalled.</summary>
    public static MeshHealthView Attach(MeshHealthView mesh, DistributionHub? hub)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        if (hub is null)
        {
            return mesh;
        }

        var stalled = new List<string>();
        foreach (var config in ServiceConfigView.From(hub))
        {
            if (config.ConfigState != "in_sync")
            {
                stalled.Add(config.Service);
            }
        }

        return mesh with { ConfigStalled = stalled };
    }

    private static ServiceHealthView Attach(ServiceHealthView view, DistributionHub? hub, List<ServiceConfigView> configs)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (hub is null)
        {
            return view;
        }

        var latest = hub.CurrentSnapshot(view.Service)?.Version;
        var nodes = new List<NodeHealthView>(view.Nodes.Count);
        foreach (var node in view.Nodes)
        {
            var watcher = Find(hub, view.Service, node.Node);
            nodes.Add(watcher is null ? node : node with
            {
                AckedVersion = watcher.AckedVersion,
                Config = latest is not null && watcher.AckedVersion == latest ? "in_sync"
                    : latest is not null && watcher.NackedVersion == latest ? "nacked" : "stale",
            });
        }

        return view with { Nodes = nodes, Config = configs.Find(c => c.Service == view.Service) };
    }

    private static Watcher? Find(DistributionHub hub, string service, string node)
    {
        foreach (var watcher in hub.Watchers)
        {
            if (watcher.ServiceName == service && watcher.NodeId == node)
            {
                return watcher;
            }
        }

        return null;
    }
}
