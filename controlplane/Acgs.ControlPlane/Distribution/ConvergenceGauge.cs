// Constitutional Hash: cdd01ef066bc6cf2

using Prometheus;

namespace Acgs.ControlPlane.Distribution;

/// <summary>
/// <c>acgs_controlplane_unconverged_sidecars{state}</c>: connected sidecars whose latest pushed snapshot is not ACKed,
/// <c>pending</c> (no answer yet) or <c>nacked</c> (rejected), counted at every scrape. The alert
/// <c>AcgsSidecarNotConverged</c> (deploy/observability) fires when it stays above zero.
/// </summary>
internal static class ConvergenceGauge
{
    public const string Name = "acgs_controlplane_unconverged_sidecars";

    public static void Register(CollectorRegistry registry, DistributionHub hub)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(hub);
        var gauge = Metrics.WithCustomRegistry(registry).CreateGauge(Name,
            "Connected sidecars whose latest pushed snapshot is not ACKed: pending (no answer yet) or nacked (rejected).", "state");
        var pending = gauge.WithLabels("pending");
        var nacked = gauge.WithLabels("nacked");
        registry.AddBeforeCollectCallback(() =>
        {
            var (waiting, rejected) = Count(hub.Watchers);
            pending.Set(waiting);
            nacked.Set(rejected);
        });
    }

    public static (int Pending, int Nacked) Count(IEnumerable<Watcher> watchers)
    {
        ArgumentNullException.ThrowIfNull(watchers);
        int pending = 0, nacked = 0;
        foreach (var watcher in watchers)
        {
            var pushed = watcher.PushedVersion;
            if (pushed is null || watcher.AckedVersion == pushed)
            {
                continue;
            }

            if (watcher.NackedVersion == pushed)
            {
                nacked++;
            }
            else
            {
                pending++;
            }
        }

        return (pending, nacked);
    }
}
