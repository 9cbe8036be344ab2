// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Recovery;

/// <summary>What a probe found: <see cref="Healthy"/>, and a one-line <see cref="Detail"/> recorded on the task.</summary>
internal readonly record struct RecoveryProbeResult(bool Healthy, string Detail);
