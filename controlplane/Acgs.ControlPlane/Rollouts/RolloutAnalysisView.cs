// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Rollouts;

/// <summary>The analysis in <see cref="RolloutView"/>.</summary>
internal sealed record RolloutAnalysisView(double IntervalSeconds, double MinHealthScore, IReadOnlyList<string> Services, int FailureLimit, bool RequireHealthData, bool GreenBreaker);
