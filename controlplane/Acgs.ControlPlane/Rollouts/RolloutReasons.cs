// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Rollouts;

/// <summary>The <c>reason</c> label values of <c>acgs_controlplane_rollout_rollbacks_total</c> (a small fixed set).</summary>
internal static class RolloutReasons
{
    /// <summary>A service's health score fell below the minimum.</summary>
    public const string HealthScore = "health_score";

    /// <summary>A service the analysis watches had no health reports.</summary>
    public const string NoHealthData = "no_health_data";

    /// <summary>A caller's breaker of the green cluster was open.</summary>
    public const string BreakerOpen = "breaker_open";

    /// <summary>An operator aborted the rollout.</summary>
    public const string Aborted = "aborted";

    /// <summary>Every reason, for pre-created metric series.</summary>
    public static readonly string[] All = [HealthScore, NoHealthData, BreakerOpen, Aborted];
}
