// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text;
using Acgs.ControlPlane.HealthAggregation;

namespace Acgs.ControlPlane.Rollouts;

/// <summary>
/// One analysis check of a rollout against the health aggregation: each watched service's score
/// (its sidecars' breakers; a node silent for 3 report intervals counts as open) must be at least the minimum, and a
/// watched service without reports fails the check when health data is required; with the green-breaker check, a breaker
/// of the green cluster that is open in any live sidecar's last report (the callers' view of green) fails it too.
/// </summary>
internal sealed class RolloutAnalyzer
{
    private readonly HealthAggregator _health;

    public RolloutAnalyzer(HealthAggregator health)
    {
        _health = health;
    }

    /// <summary>How long after a restart the aggregation needs to hear from every live sidecar again (its silence limit: 3 report intervals).</summary>
    public TimeSpan WarmUp => _health.SilenceLimit;

    /// <summary>Checks <paramref name="analysis"/> of a rollout to <paramref name="green"/> now.</summary>
    public RolloutCheck Check(RolloutAnalysis analysis, string green, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(green);
        var passed = new StringBuilder();
        if (analysis.GreenBreaker && _health.ClusterBreakers(green) is { Open: > 0 } breakers)
        {
            return new RolloutCheck(at, false, string.Create(CultureInfo.InvariantCulture,
                $"the breaker of '{green}' is open in {breakers.Open} of {breakers.Total} reporting sidecar(s)"), RolloutReasons.BreakerOpen);
        }

        foreach (var service in analysis.Services)
        {
            if (_health.Service(service) is not { } view)
            {
                if (analysis.RequireHealthData)
                {
                    return new RolloutCheck(at, false, $"no health reports for '{service}'", RolloutReasons.NoHealthData);
                }

                continue;
            }

            if (view.Score < analysis.MinHealthScore)
            {
                var detail = string.Create(CultureInfo.InvariantCulture,
                    $"health score of '{service}' is {view.Score:0.###}, below {analysis.MinHealthScore:0.###} ({view.Open} open, {view.HalfOpen} half-open of {view.Total} breakers)");
                return new RolloutCheck(at, false, detail, RolloutReasons.HealthScore);
            }

            passed.Append(passed.Length == 0 ? string.Empty : ", ").Append(CultureInfo.InvariantCulture, $"{service}={view.Score:0.###}");
        }

        return new RolloutCheck(at, true, passed.Length == 0 ? "no watched service has reported (health data not required)" : "health scores " + passed, null);
    }
}
