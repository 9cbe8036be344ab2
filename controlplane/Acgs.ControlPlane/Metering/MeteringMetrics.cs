// Constitutional Hash: cdd01ef066bc6cf2

using Prometheus;

namespace Acgs.ControlPlane.Metering;

/// <summary><c>acgs_controlplane_metering_batches_total{result}</c> and <c>acgs_controlplane_metering_windows_total{result}</c>.</summary>
internal sealed class MeteringMetrics
{
    public MeteringMetrics(CollectorRegistry registry)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        Batches = factory.CreateCounter("acgs_controlplane_metering_batches_total", "Metering batches from sidecars, by result (accepted, refused).", "result");
        Windows = factory.CreateCounter("acgs_controlplane_metering_windows_total", "Metering windows received, by result (stored, duplicate: an id already stored).", "result");
    }

    public Counter Batches { get; }

    public Counter Windows { get; }
}
