// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using Acgs.Contracts.Config;

namespace Acgs.Sidecar.Config;

/// <summary>
/// Keeps a destination the sidecar is using when a control-plane snapshot drops every endpoint of it — what a control
/// plane that has just restarted sends before the callee's sidecars have reconnected and reported themselves. For up
/// to <see cref="Grace"/> (<c>ACGS_DESTINATION_GRACE_SECONDS</c>, default 60 s; 0 turns it off) such a cluster keeps
/// its previous destinations and the routes to it; a later snapshot that names endpoints again ends the hold, and
/// when the grace has passed the latest snapshot is applied as it is (<see cref="ConfigApplier"/> re-applies it).
/// Only snapshots from the control plane are held; a bootstrap or file snapshot is applied as written.
/// </summary>
internal sealed class DestinationGrace(TimeSpan grace)
{
    private readonly Dictionary<string, DateTimeOffset> _heldSince = new(StringComparer.Ordinal);

    /// <summary>How long a dropped destination is kept.</summary>
    public TimeSpan Grace { get; } = grace;

    /// <summary>When the earliest hold ends (null: nothing held).</summary>
    public DateTimeOffset? NextExpiry { get; private set; }

    /// <summary>The clusters held by the last <see cref="Apply"/>.</summary>
    public IReadOnlyCollection<string> Held => _heldSince.Keys;

    /// <summary><paramref name="incoming"/> with the clusters <paramref name="previous"/> used and it dropped, while their grace lasts.</summary>
    public ConfigSnapshot Apply(ConfigSnapshot? previous, ConfigSnapshot incoming, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        NextExpiry = null;
        if (previous is null || Grace <= TimeSpan.Zero)
        {
            _heldSince.Clear();
            return incoming;
        }

        var clusters = incoming.Clusters;
        var routes = incoming.Routes;
        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, cluster) in previous.Clusters)
        {
            if (cluster.Destinations.IsDefaultOrEmpty || (clusters.TryGetValue(name, out var now2) && !now2.Destinations.IsDefaultOrEmpty))
            {
                continue;
            }

            var since = _heldSince.TryGetValue(name, out var started) ? started : now;
            if (now - since >= Grace)
            {
                continue; // the grace is over: the drop is real
            }

            kept.Add(name);
            _heldSince[name] = since;
            var expiry = since + Grace;
            NextExpiry = NextExpiry is { } next && next < expiry ? next : expiry;
            clusters = clusters.SetItem(name, cluster);
            foreach (var route in previous.Routes)
            {
                if (route.Cluster == name && !HasRoute(routes, route))
                {
                    routes = routes.Add(route);
                }
            }
        }

        foreach (var name in _heldSince.Keys.Where(k => !kept.Contains(k)).ToList())
        {
            _heldSince.Remove(name);
        }

        return kept.Count == 0 ? incoming : incoming with { Clusters = clusters, Routes = routes };
    }

    private static bool HasRoute(ImmutableArray<OutboundRoute> routes, OutboundRoute candidate)
    {
        foreach (var route in routes)
        {
            if (string.Equals(route.Host, candidate.Host, StringComparison.OrdinalIgnoreCase) && route.PathPrefix == candidate.PathPrefix)
            {
                return true;
            }
        }

        return false;
    }
}
