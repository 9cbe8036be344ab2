// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Rollouts;

/// <summary>An event in <see cref="RolloutView"/>.</summary>
internal sealed record RolloutEventView(DateTimeOffset At, string Type, int GreenWeight, string Message);
