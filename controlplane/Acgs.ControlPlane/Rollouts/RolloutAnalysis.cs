// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;

namespace Acgs.ControlPlane.Rollouts;

/// <summary>
/// How a rollout is judged: every <paramref name="Interval"/> the health score of each of <paramref name="Services"/>
/// (from the health aggregation) must be at least <paramref name="MinHealthScore"/>; a service without health reports
/// fails the check when <paramref name="RequireHealthData"/>; with <paramref name="GreenBreaker"/>, a breaker of the green
/// cluster that is open in any live sidecar's report (its callers') fails it too. More than <paramref name="FailureLimit"/>
/// consecutive failed checks roll the rollout back.
/// </summary>
internal sealed record RolloutAnalysis(TimeSpan Interval, double MinHealthScore, ImmutableArray<string> Services, int FailureLimit, bool RequireHealthData, bool GreenBreaker);
