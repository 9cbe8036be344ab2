// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Health;

namespace Acgs.Sidecar.Telemetry;

/// <summary>The report window: counts since the last accepted report, read and committed by the health reporter.</summary>
internal sealed partial class GoldenEdges
{
    private readonly Lock _window = new();
    private long _windowStart;
    private long _pendingAt;

    /// <summary>
    /// The golden metrics since the last <see cref="Commit"/>: every edge with requests in the window (an edge known under two
    /// keys, such as two SPIFFE IDs of one service, once).
    /// </summary>
    public GoldenMetrics Collect()
    {
        lock (_window)
        {
            _pendingAt = _time.GetTimestamp();
            var edges = new List<EdgeMetrics?>();
            var seen = new HashSet<(string, string)>();
            Span<long> delta = stackalloc long[LatencyBuckets.Count + 1];
            foreach (var edge in All())
            {
                edge.ReadPending();
                long requests = 0;
                for (var i = 0; i < delta.Length; i++)
                {
                    delta[i] = edge.Pending[i] - edge.Baseline[i];
                    requests += i < LatencyBuckets.Count ? delta[i] : 0;
                }

                if (requests > 0 && seen.Add((edge.Direction, edge.Peer)))
                {
                    var buckets = delta[..LatencyBuckets.Count];
                    edges.Add(new EdgeMetrics(edge.Direction, edge.Peer, requests, Math.Min(requests, delta[EdgeStats.ErrorsIndex]),
                        LatencyBuckets.PercentileMs(buckets, requests, 50), LatencyBuckets.PercentileMs(buckets, requests, 99)));
                }
            }

            var windowMs = (long)Math.Ceiling(_time.GetElapsedTime(_windowStart, _pendingAt).TotalMilliseconds);
            return new GoldenMetrics(Math.Clamp(windowMs, 1, GoldenMetricsValidator.MaxWindowMs), edges);
        }
    }

    /// <summary>The report of the last <see cref="Collect"/> was accepted: the next window starts where it ended.</summary>
    public void Commit()
    {
        lock (_window)
        {
            foreach (var edge in All())
            {
                edge.Pending.CopyTo(edge.Baseline, 0);
            }

            _windowStart = _pendingAt;
        }
    }

    private IEnumerable<EdgeStats> All()
    {
        foreach (var edge in _outbound.Values)
        {
            yield return edge;
        }

        yield return _otherOutbound;
        foreach (var edge in _inbound.Values)
        {
            yield return edge;
        }

        yield return _otherInbound;
    }
}
