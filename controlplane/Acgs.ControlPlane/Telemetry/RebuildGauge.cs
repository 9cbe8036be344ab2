// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Distribution;
using Prometheus;

namespace Acgs.ControlPlane.Telemetry;

/// <summary>
/// The last rebuild of this replica, read at every scrape: <c>acgs_controlplane_last_rebuild_seconds{phase}</c> (total, load,
/// compile, serialize, queue), <c>acgs_controlplane_last_rebuild_services{outcome}</c> (compiled, reused) and
/// <c>acgs_controlplane_last_rebuild_revision</c> (the store revision it saw). The convergence benchmark's multi-process
/// mode reads them from each replica; a dashboard can too.
/// </summary>
internal static class RebuildGauge
{
    public static void Register(CollectorRegistry registry, DistributionHub hub)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(hub);
        var factory = Metrics.WithCustomRegistry(registry);
        var seconds = factory.CreateGauge("acgs_controlplane_last_rebuild_seconds", "Duration of this replica's last rebuild, by phase (total, load, compile, serialize, queue).", "phase");
        var services = factory.CreateGauge("acgs_controlplane_last_rebuild_services", "Services the last rebuild compiled or reused unchanged.", "outcome");
        var revision = factory.CreateGauge("acgs_controlplane_last_rebuild_revision", "The store revision this replica's last rebuild saw.");
        Gauge.Child total = seconds.WithLabels("total"), load = seconds.WithLabels("load"), compile = seconds.WithLabels("compile"),
            serialize = seconds.WithLabels("serialize"), queue = seconds.WithLabels("queue"),
            compiled = services.WithLabels("compiled"), reused = services.WithLabels("reused");
        registry.AddBeforeCollectCallback(() =>
        {
            var timings = hub.LastRebuildTimings;
            total.Set(hub.LastRebuildDuration.TotalSeconds);
            load.Set(timings.Load.TotalSeconds);
            compile.Set(timings.Compile.TotalSeconds);
            serialize.Set(timings.Serialize.TotalSeconds);
            queue.Set(timings.Queue.TotalSeconds);
            compiled.Set(timings.Compiled);
            reused.Set(timings.Reused);
            revision.Set(hub.LastRevision);
        });
    }
}
