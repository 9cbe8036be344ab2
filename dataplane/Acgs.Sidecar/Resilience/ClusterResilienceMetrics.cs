// Constitutional Hash: cdd01ef066bc6cf2

using Prometheus;

namespace Acgs.Sidecar.Resilience;

/// <summary>
/// The labelled metric children of one cluster, resolved once when its handler is built so that
/// recording on the request path is an interlocked add with no lookup and no allocation.
/// </summary>
internal sealed class ClusterResilienceMetrics
{
    /// <summary>Resolves the children of <paramref name="clusterId"/> in <paramref name="metrics"/>.</summary>
    public ClusterResilienceMetrics(ResilienceMetrics metrics, string clusterId)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentException.ThrowIfNullOrEmpty(clusterId);
        FailureStatus5xx = metrics.UpstreamFailures.WithLabels(clusterId, ResilienceMetrics.ReasonStatus5xx);
        FailureStatusOther = metrics.UpstreamFailures.WithLabels(clusterId, ResilienceMetrics.ReasonStatusOther);
        FailureTransport = metrics.UpstreamFailures.WithLabels(clusterId, ResilienceMetrics.ReasonTransport);
        FailureTimeout = metrics.UpstreamFailures.WithLabels(clusterId, ResilienceMetrics.ReasonTimeout);
        RetrySent = metrics.Retries.WithLabels(clusterId, ResilienceMetrics.RetrySent);
        RetryBudgetExhausted = metrics.Retries.WithLabels(clusterId, ResilienceMetrics.RetryBudgetExhausted);
        RetryCircuitOpen = metrics.Retries.WithLabels(clusterId, ResilienceMetrics.RetryCircuitOpen);
        CircuitRejections = metrics.CircuitRejections.WithLabels(clusterId);
    }

    /// <summary>Failure statuses in 5xx.</summary>
    public Counter.Child FailureStatus5xx { get; }

    /// <summary>Failure statuses outside 5xx.</summary>
    public Counter.Child FailureStatusOther { get; }

    /// <summary>Transport errors.</summary>
    public Counter.Child FailureTransport { get; }

    /// <summary>Timeouts.</summary>
    public Counter.Child FailureTimeout { get; }

    /// <summary>Retries sent.</summary>
    public Counter.Child RetrySent { get; }

    /// <summary>Retries refused by the budget.</summary>
    public Counter.Child RetryBudgetExhausted { get; }

    /// <summary>Retries refused by the breaker.</summary>
    public Counter.Child RetryCircuitOpen { get; }

    /// <summary>Requests refused by the open breaker.</summary>
    public Counter.Child CircuitRejections { get; }
}
