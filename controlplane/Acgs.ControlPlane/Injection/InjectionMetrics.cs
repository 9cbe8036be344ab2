// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Telemetry;
using Prometheus;

namespace Acgs.ControlPlane.Injection;

/// <summary>The webhook's metrics, in the control plane's registry (served at <c>/metrics</c>).</summary>
internal sealed class InjectionMetrics
{
    public InjectionMetrics(ControlPlaneMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        Reviews = Metrics.WithCustomRegistry(metrics.Registry).CreateCounter(
            "acgs_controlplane_injection_reviews_total",
            "AdmissionReviews the injection webhook answered, by result: injected, skipped (allowed unchanged), malformed (answered 400), too_large (413).",
            "result");
    }

    /// <summary><c>acgs_controlplane_injection_reviews_total{result}</c>.</summary>
    public Counter Reviews { get; }
}
