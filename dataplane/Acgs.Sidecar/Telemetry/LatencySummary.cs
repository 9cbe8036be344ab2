// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Telemetry;

/// <summary>Percentiles of one latency histogram, in microseconds.</summary>
internal sealed record LatencySummary(long Count, long P50Us, long P90Us, long P99Us, long P999Us, long MaxUs);
