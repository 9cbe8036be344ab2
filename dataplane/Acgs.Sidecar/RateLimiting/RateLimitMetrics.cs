// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Telemetry;
using Prometheus;

namespace Acgs.Sidecar.RateLimiting;

/// <summary><c>acgs_ratelimit_decisions_total{result}</c>: <c>allowed</c> or <c>limited</c>, children created once.</summary>
internal sealed class RateLimitMetrics
{
    public RateLimitMetrics(SidecarMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var decisions = metrics.Factory.CreateCounter(
            "acgs_ratelimit_decisions_total",
            "Local rate-limit decisions on inbound requests under a RateLimit policy, by result (allowed, limited).",
            new CounterConfiguration { LabelNames = ["result"] });
        Allowed = decisions.WithLabels("allowed");
        Limited = decisions.WithLabels("limited");
    }

    /// <summary>Requests within the budget.</summary>
    public Counter.Child Allowed { get; }

    /// <summary>Requests answered 429.</summary>
    public Counter.Child Limited { get; }
}
