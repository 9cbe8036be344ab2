// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Health;

namespace Acgs.ControlPlane.HealthAggregation;

/// <summary>
/// Sums golden-metrics reports (the last one of each live node): every request the nodes' sidecars handled in both directions
/// (the success rate the score uses), the inbound load (rps, worst p99) and the edges merged by source, destination and reporter.
/// </summary>
internal sealed class GoldenTraffic
{
    private readonly Dictionary<(string, string, string), EdgeView> _edges = new();

    /// <summary>Requests in both directions.</summary>
    public long Requests { get; private set; }

    /// <summary>5xx answers in both directions.</summary>
    public long Errors { get; private set; }

    /// <summary>Inbound requests per second.</summary>
    public double InboundRps { get; private set; }

    /// <summary>Inbound requests in the windows.</summary>
    public long InboundRequests { get; private set; }

    /// <summary>Worst inbound p99 of any node, in milliseconds.</summary>
    public double InboundP99Ms { get; private set; }

    /// <summary>The success-rate factor of the score (<see cref="HealthScore.SuccessFactor"/>).</summary>
    public double SuccessFactor => HealthScore.SuccessFactor(Requests, Errors);

    /// <summary>1 − errors / requests over both directions, or null without requests.</summary>
    public double? SuccessRate => Requests == 0 ? null : 1.0 - (Errors / (double)Requests);

    /// <summary>Worst inbound p99 in milliseconds, or null without inbound requests.</summary>
    public double? P99Ms => InboundRequests == 0 ? null : InboundP99Ms;

    /// <summary>Adds the report <paramref name="golden"/> of a node of <paramref name="service"/>.</summary>
    public void Add(string service, GoldenMetrics? golden)
    {
        if (golden?.Edges is not { } edges)
        {
            return;
        }

        foreach (var edge in edges)
        {
            if (edge is null)
            {
                continue;
            }

            var inbound = edge.Direction == EdgeMetrics.Inbound;
            Requests += edge.Requests;
            Errors += edge.Errors;
            var rps = golden.Rate(edge.Requests);
            if (inbound)
            {
                InboundRequests += edge.Requests;
                InboundRps += rps;
                InboundP99Ms = Math.Max(InboundP99Ms, edge.P99Ms);
            }

            var key = inbound ? (edge.Peer!, service, "destination") : (service, edge.Peer!, "source");
            var view = _edges.TryGetValue(key, out var known)
                ? known with
                {
                    Requests = known.Requests + edge.Requests,
                    Errors = known.Errors + edge.Errors,
                    Rps = known.Rps + rps,
                    P50Ms = Math.Max(known.P50Ms, edge.P50Ms),
                    P99Ms = Math.Max(known.P99Ms, edge.P99Ms),
                }
                : new EdgeView(key.Item1, key.Item2, key.Item3, edge.Requests, edge.Errors, rps, 0, edge.P50Ms, edge.P99Ms);
            _edges[key] = view with { SuccessRate = view.Requests == 0 ? 1.0 : 1.0 - (view.Errors / (double)view.Requests) };
        }
    }

    /// <summary>The merged edges, ordered by source, destination, reporter.</summary>
    public List<EdgeView> Edges()
    {
        var edges = new List<EdgeView>(_edges.Values);
        edges.Sort(static (a, b) => string.CompareOrdinal(a.Source, b.Source) is var s and not 0 ? s
            : string.CompareOrdinal(a.Destination, b.Destination) is var d and not 0 ? d : string.CompareOrdinal(a.ReportedBy, b.ReportedBy));
        return edges;
    }
}
