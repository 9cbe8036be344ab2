// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Telemetry;
using Prometheus;

namespace Acgs.Sidecar.Resilience;

/// <summary>
/// The resilience counters in the host's registry. Per-request code never touches these directly:
/// it uses the labelled children of <see cref="ClusterResilienceMetrics"/>, resolved once per
/// cluster handler by <see cref="For"/>.
/// </summary>
internal sealed class ResilienceMetrics
{
    /// <summary><c>reason</c> label: the upstream answered with a failure status (5xx).</summary>
    public const string ReasonStatus5xx = "status_5xx";

    /// <summary><c>reason</c> label: the upstream answered with a status configured as failure outside 5xx.</summary>
    public const string ReasonStatusOther = "status_other";

    /// <summary><c>reason</c> label: connection refused/reset, DNS, TLS or protocol error.</summary>
    public const string ReasonTransport = "transport";

    /// <summary><c>reason</c> label: the cluster's timeout (or the connect timeout) fired.</summary>
    public const string ReasonTimeout = "timeout";

    /// <summary><c>result</c> label: a retry was sent.</summary>
    public const string RetrySent = "sent";

    /// <summary><c>result</c> label: a retry was wanted but the retry budget was spent.</summary>
    public const string RetryBudgetExhausted = "budget_exhausted";

    /// <summary><c>result</c> label: a retry was wanted but the breaker refused it.</summary>
    public const string RetryCircuitOpen = "circuit_open";

    /// <summary>Creates the collectors in <paramref name="metrics"/>' registry.</summary>
    public ResilienceMetrics(SidecarMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        UpstreamFailures = metrics.Factory.CreateCounter(
            "acgs_upstream_failures_total",
            "Upstream calls that counted as failures for the circuit breaker, by cluster and reason (status_5xx, status_other, transport, timeout).",
            ["cluster", "reason"]);
        Retries = metrics.Factory.CreateCounter(
            "acgs_retries_total",
            "Retry decisions by cluster and result: sent, budget_exhausted, circuit_open.",
            ["cluster", "result"]);
        CircuitRejections = metrics.Factory.CreateCounter(
            "acgs_circuit_rejections_total",
            "Requests answered with 503 circuit-open without contacting the upstream, by cluster.",
            ["cluster"]);
    }

    /// <summary><c>acgs_upstream_failures_total{cluster,reason}</c>.</summary>
    public Counter UpstreamFailures { get; }

    /// <summary><c>acgs_retries_total{cluster,result}</c>.</summary>
    public Counter Retries { get; }

    /// <summary><c>acgs_circuit_rejections_total{cluster}</c>.</summary>
    public Counter CircuitRejections { get; }

    /// <summary>The children of <paramref name="clusterId"/>, resolved now (once per cluster handler, never per request).</summary>
    public ClusterResilienceMetrics For(string clusterId) => new(this, clusterId);
}
