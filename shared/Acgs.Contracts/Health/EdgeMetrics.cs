// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.Health;

/// <summary>
/// The golden metrics of one edge over a report window (<see cref="GoldenMetrics"/>):
/// <c>{"direction":"outbound","peer":"vector-search","requests":120,"errors":3,"p50_ms":0.8,"p99_ms":4.1}</c>.
/// An <c>outbound</c> edge runs from the reporting service to the upstream cluster <see cref="Peer"/> (what the caller saw,
/// its own sidecar's refusals such as an open breaker included); an <c>inbound</c> edge from the caller <see cref="Peer"/>
/// (the service of its mTLS identity, else its SPIFFE ID, else <c>unauthenticated</c>) to the reporting service.
/// </summary>
/// <param name="Direction"><c>inbound</c> or <c>outbound</c> (JSON <c>direction</c>).</param>
/// <param name="Peer">The upstream cluster (outbound) or the caller (inbound); JSON <c>peer</c>.</param>
/// <param name="Requests">Requests answered in the window (JSON <c>requests</c>).</param>
/// <param name="Errors">Of those, answered 5xx (JSON <c>errors</c>).</param>
/// <param name="P50Ms">Median time from arrival to response completion, in milliseconds (JSON <c>p50_ms</c>).</param>
/// <param name="P99Ms">99th percentile of the same (JSON <c>p99_ms</c>).</param>
public sealed record EdgeMetrics(string? Direction, string? Peer, long Requests, long Errors, double P50Ms, double P99Ms)
{
    /// <summary>The direction of an edge from the reporting service to an upstream.</summary>
    public const string Outbound = "outbound";

    /// <summary>The direction of an edge from a caller to the reporting service.</summary>
    public const string Inbound = "inbound";
}
