// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Telemetry;

/// <summary>The added latency (downstream − upstream) and the full downstream latency.</summary>
internal sealed record LatencyReport(LatencySummary Added, LatencySummary Downstream);
