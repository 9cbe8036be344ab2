// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;

namespace Acgs.ControlPlane.Rollouts;

/// <summary>A validated create request: the blue cluster is null when the request left it to the current split.</summary>
internal sealed record RolloutPlan(string Service, string? Blue, string Green, string Strategy, ImmutableArray<RolloutStep> Steps, RolloutAnalysis Analysis);
