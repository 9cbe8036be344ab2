// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.CircuitBreaker;

namespace Acgs.Contracts.Health;

/// <summary>
/// The 0.0–1.0 health score of a set of breakers: (closed + 0.5·half_open) / total, 1.0 with no breakers;
/// HEALTHY at or above 0.7, DEGRADED at or above 0.5, else CRITICAL. The control plane scores services and the mesh with it,
/// multiplied by the observed success rate (<see cref="SuccessFactor"/>): score = breakers × success rate.
/// </summary>
public static class HealthScore
{
    /// <summary>Lowest score classified <see cref="HealthStatus.Healthy"/>.</summary>
    public const double HealthyThreshold = 0.7;

    /// <summary>Lowest score classified <see cref="HealthStatus.Degraded"/>.</summary>
    public const double DegradedThreshold = 0.5;

    /// <summary>Fewest requests in a report window for the success rate to count (fewer: factor 1.0, one stray 5xx is no outage).</summary>
    public const long MinRequests = 5;

    /// <summary>
    /// The success-rate factor of <paramref name="requests"/> of which <paramref name="errors"/> failed (5xx):
    /// 1 − errors / requests, or 1.0 below <see cref="MinRequests"/> requests.
    /// </summary>
    public static double SuccessFactor(long requests, long errors) =>
        requests < MinRequests ? 1.0 : 1.0 - (Math.Clamp(errors, 0, requests) / (double)requests);

    /// <summary>The score of the given breaker counts.</summary>
    public static double Compute(long closed, long halfOpen, long open)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(closed);
        ArgumentOutOfRangeException.ThrowIfNegative(halfOpen);
        ArgumentOutOfRangeException.ThrowIfNegative(open);
        var total = closed + halfOpen + open;
        return total == 0 ? 1.0 : (closed + (0.5 * halfOpen)) / total;
    }

    /// <summary>The score of the given breaker states.</summary>
    public static double Compute(ReadOnlySpan<CircuitState> states)
    {
        long closed = 0, halfOpen = 0;
        foreach (var state in states)
        {
            closed += state == CircuitState.Closed ? 1 : 0;
            halfOpen += state == CircuitState.HalfOpen ? 1 : 0;
        }

        return Compute(closed, halfOpen, states.Length - closed - halfOpen);
    }

    /// <summary>HEALTHY (≥ 0.7), DEGRADED (≥ 0.5) or CRITICAL.</summary>
    public static HealthStatus Classify(double score) => score switch
    {
        >= HealthyThreshold => HealthStatus.Healthy,
        >= DegradedThreshold => HealthStatus.Degraded,
        _ => HealthStatus.Critical,
    };

    /// <summary>The JSON name of <paramref name="status"/>: <c>healthy</c>, <c>degraded</c> or <c>critical</c>.</summary>
    public static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "critical",
    };
}
