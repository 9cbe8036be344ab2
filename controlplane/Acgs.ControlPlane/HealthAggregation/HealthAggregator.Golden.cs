// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Health;
using Acgs.Core.CircuitBreaker;

namespace Acgs.ControlPlane.HealthAggregation;

/// <summary>The golden metrics of the nodes' last reports.</summary>
internal sealed partial class HealthAggregator
{
    /// <summary>Adds the last golden-metrics report of every live node of <paramref name="service"/> to <paramref name="traffic"/>.</summary>
    private void AddTrafficLocked(GoldenTraffic traffic, string service, Dictionary<string, NodeState> nodes)
    {
        foreach (var node in nodes.Values)
        {
            if (!IsSilent(node))
            {
                traffic.Add(service, node.Golden);
            }
        }
    }

    private sealed record NodeState(
        int Closed,
        int HalfOpen,
        int Open,
        long LastSeen,
        DateTimeOffset LastAt,
        long? RequestsTotal,
        long? ErrorsTotal,
        Dictionary<string, CircuitState> States,
        GoldenMetrics? Golden)
    {
        /// <summary>Requests of every edge in the last report (both directions).</summary>
        public long GoldenRequests { get; } = Sum(Golden, errors: false);

        /// <summary>5xx answers of every edge in the last report.</summary>
        public long GoldenErrors { get; } = Sum(Golden, errors: true);

        private static long Sum(GoldenMetrics? golden, bool errors)
        {
            long sum = 0;
            foreach (var edge in golden?.Edges ?? [])
            {
                sum += edge is null ? 0 : errors ? edge.Errors : edge.Requests;
            }

            return sum;
        }
    }
}
