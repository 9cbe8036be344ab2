// Constitutional Hash: cdd01ef066bc6cf2

using Prometheus;

namespace Acgs.ControlPlane.Api;

/// <summary>Who called the API and what was refused, on the control plane's registry.</summary>
internal sealed class AccessMetrics
{
    /// <summary>The route labels of <see cref="Sidecar"/>.</summary>
    public static readonly string[] Routes = ["watch", "ack", "health", "agents", "deregister"];

    /// <summary>The result labels of <see cref="Sidecar"/>.</summary>
    public static readonly string[] Results = ["workload", "token", "anonymous", "unauthorized", "forbidden"];

    public AccessMetrics(CollectorRegistry registry)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        Sidecar = factory.CreateCounter("acgs_controlplane_sidecar_auth_total",
            "Sidecar calls by route and result: accepted as a workload, with the shared token or anonymously; refused 401 (unauthorized) or 403 (forbidden: another service or node).",
            "route", "result");
        Api = factory.CreateCounter("acgs_controlplane_api_auth_refusals_total",
            "API calls refused by the admin/read token check, by the scope needed and the reason (missing, wrong, insufficient_scope, disabled).",
            "scope", "reason");
        foreach (var route in Routes)
        {
            foreach (var result in Results)
            {
                Sidecar.WithLabels(route, result);
            }
        }
    }

    /// <summary><c>acgs_controlplane_sidecar_auth_total{route,result}</c>.</summary>
    public Counter Sidecar { get; }

    /// <summary><c>acgs_controlplane_api_auth_refusals_total{scope,reason}</c>.</summary>
    public Counter Api { get; }
}
