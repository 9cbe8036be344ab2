// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Perf.Ab;

/// <summary>The latency figures of one variant over its measured slices.</summary>
/// <param name="OwnP50Us">The sidecar's own added latency p50 (µs, its admin histogram), or null.</param>
/// <param name="OwnP99Us">The sidecar's own added latency p99 (µs), or null.</param>
/// <param name="EndToEndP50Ms">End-to-end p50 (ms), median of the rounds.</param>
/// <param name="EndToEndP99Ms">End-to-end p99 (ms), median of the rounds.</param>
/// <param name="ValidRounds">Rounds that met the open-model thresholds.</param>
/// <param name="Rounds">Rounds run.</param>
/// <param name="SinkRequests">OTLP export requests the sink received from this variant.</param>
/// <param name="SinkBytes">OTLP body bytes the sink received from this variant.</param>
internal sealed record AbLatency(double? OwnP50Us, double? OwnP99Us, double EndToEndP50Ms, double EndToEndP99Ms, int ValidRounds, int Rounds, long SinkRequests, long SinkBytes);
