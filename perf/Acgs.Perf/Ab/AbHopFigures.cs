// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Perf.Ab;

/// <summary>What a pair variant's run measured besides its slices.</summary>
/// <param name="P50Ms">End-to-end p50 (ms), median of the rounds.</param>
/// <param name="P90Ms">End-to-end p90 (ms), median of the rounds.</param>
/// <param name="P99Ms">End-to-end p99 (ms), median of the rounds.</param>
/// <param name="Handshakes">TLS handshakes the server sidecar completed on its inbound listener while measured, or null when it exposes none.</param>
/// <param name="LoadedSeconds">Seconds this variant was loaded while measured (its slices together).</param>
/// <param name="AllValid">Every round met the open-model thresholds.</param>
/// <param name="Certificates">Workload certificates the two sidecars obtained while measured (renewals), or null.</param>
internal sealed record AbHopFigures(double P50Ms, double P90Ms, double P99Ms, double? Handshakes, double LoadedSeconds, bool AllValid, double? Certificates = null);
