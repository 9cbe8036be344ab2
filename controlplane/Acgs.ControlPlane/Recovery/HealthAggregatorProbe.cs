// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.ControlPlane.HealthAggregation;

namespace Acgs.ControlPlane.Recovery;

/// <summary>
/// The recovery probe: reads the service's aggregated breaker health from its sidecars' reports.
/// Healthy when the service has at least one reporting node, none of its nodes is silent (3 report intervals:
/// the evidence is at most that old) and its score is HEALTHY (≥ 0.7). A service that never reported, or whose
/// nodes were all forgotten, is not healthy.
/// </summary>
internal sealed class HealthAggregatorProbe(HealthAggregator aggregator) : IRecoveryProbe
{
    public ValueTask<RecoveryProbeResult> ProbeAsync(string service, CancellationToken cancellationToken)
    {
        var view = aggregator.Service(service);
        if (view is null || view.Nodes.Count == 0)
        {
            return ValueTask.FromResult(new RecoveryProbeResult(false, "no health reports from the service's sidecars"));
        }

        var silent = 0;
        foreach (var node in view.Nodes)
        {
            if (node.Silent)
            {
                silent++;
            }
        }

        var counts = string.Create(CultureInfo.InvariantCulture,
            $"score {view.Score:0.###} ({view.Status}; {view.Closed} closed, {view.HalfOpen} half-open, {view.Open} open over {view.Nodes.Count} node(s)");
        if (silent > 0)
        {
            return ValueTask.FromResult(new RecoveryProbeResult(false, string.Create(CultureInfo.InvariantCulture, $"{counts}, {silent} silent)")));
        }

        return ValueTask.FromResult(new RecoveryProbeResult(view.Score >= HealthScore.HealthyThreshold, counts + ")"));
    }
}
