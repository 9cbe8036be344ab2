// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using Acgs.Contracts.Authorization;
using Acgs.Contracts.Health;
using Acgs.Sidecar.Identity;

namespace Acgs.Sidecar.Telemetry;

/// <summary>
/// The sidecar's golden metrics per edge (docs/observability.md): one <see cref="EdgeStats"/> per upstream cluster
/// (outbound: this service → cluster, handed out once per cluster and cached in its <see cref="ClusterTelemetry"/>) and
/// per caller (inbound: caller → this service, looked up by the caller's SPIFFE ID; <c>unauthenticated</c> without one).
/// Bounded: at most <see cref="MaxEdges"/> edges each way; later ones share the <c>other</c> edge. The health reporter
/// turns them into the <see cref="GoldenMetrics"/> of its report (<see cref="Collect"/>, <see cref="Commit"/>).
/// </summary>
internal sealed partial class GoldenEdges
{
    /// <summary>Most distinct edges per direction (with <c>other</c>).</summary>
    public const int MaxEdges = 256;

    /// <summary>The peer of the edge shared by every edge past the bound.</summary>
    public const string Other = "other";

    private readonly ConcurrentDictionary<string, EdgeStats> _outbound = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, EdgeStats> _inbound = new(StringComparer.Ordinal);
    private readonly EdgeStats _otherOutbound = new(EdgeMetrics.Outbound, Other);
    private readonly EdgeStats _otherInbound = new(EdgeMetrics.Inbound, Other);
    private readonly TimeProvider _time;

    /// <summary>Creates the empty table; windows are timed with <paramref name="time"/>.</summary>
    public GoldenEdges(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _windowStart = _time.GetTimestamp();
        Unauthenticated = new EdgeStats(EdgeMetrics.Inbound, PeerIdentityMiddleware.Unauthenticated);
        _inbound[PeerIdentityMiddleware.Unauthenticated] = Unauthenticated;
    }

    /// <summary>The inbound edge of callers without a verified identity.</summary>
    public EdgeStats Unauthenticated { get; }

    /// <summary>The outbound edge to <paramref name="cluster"/> (created once; <c>other</c> past the bound).</summary>
    public EdgeStats Outbound(string cluster) => Get(_outbound, cluster, cluster, EdgeMetrics.Outbound, _otherOutbound);

    /// <summary>The inbound edge of the caller <paramref name="spiffeId"/>: a lock-free lookup, no allocation once it exists.</summary>
    public EdgeStats Inbound(string spiffeId)
    {
        ArgumentNullException.ThrowIfNull(spiffeId);
        if (_inbound.TryGetValue(spiffeId, out var edge))
        {
            return edge;
        }

        var peer = AuthorizationPrincipal.TryGetService(spiffeId, out var service) ? service.ToString() : spiffeId;
        return Get(_inbound, spiffeId, peer, EdgeMetrics.Inbound, _otherInbound);
    }

    private static EdgeStats Get(ConcurrentDictionary<string, EdgeStats> edges, string key, string peer, string direction, EdgeStats other)
    {
        if (edges.TryGetValue(key, out var edge))
        {
            return edge;
        }

        lock (edges)
        {
            if (edges.TryGetValue(key, out edge))
            {
                return edge;
            }

            if (edges.Count >= MaxEdges - 1 || peer.Length > HealthReportValidator.MaxClusterNameLength)
            {
                return other;
            }

            foreach (var existing in edges.Values)
            {
                if (string.Equals(existing.Peer, peer, StringComparison.Ordinal))
                {
                    edges[key] = existing; // two SPIFFE IDs of one service: one edge
                    return existing;
                }
            }

            edge = new EdgeStats(direction, peer);
            edges[key] = edge;
            return edge;
        }
    }
}
