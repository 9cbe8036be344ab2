// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Perf.Ab;

/// <summary>One pair variant's line of the hop table (Ab/AbHopSummary).</summary>
/// <param name="Variant">The variant.</param>
/// <param name="ClientCpuUs">Median over slices of the client sidecar's CPU µs per request.</param>
/// <param name="ServerCpuUs">Median over slices of the server sidecar's CPU µs per request.</param>
/// <param name="BothCpuUs">Median over slices of both sidecars' CPU µs per request.</param>
/// <param name="HandshakesPerSecond">New TLS handshakes per second at the server sidecar while loaded, or null.</param>
/// <param name="P90DeltaMs">Median over paired slices of (this slice's p90 − the baseline's slice's p90), or null.</param>
/// <param name="P90DeltaLow">25th percentile of those differences, or null.</param>
/// <param name="P90DeltaHigh">75th percentile of those differences, or null.</param>
/// <param name="P90Verdict"><c>baseline</c>, <c>measured</c>, <c>met</c>, <c>not met</c> or <c>inconclusive (…)</c>.</param>
/// <param name="Figures">The run's other figures.</param>
internal sealed record AbHopRow(
    AbVariant Variant,
    double ClientCpuUs,
    double ServerCpuUs,
    double BothCpuUs,
    double? HandshakesPerSecond,
    double? P90DeltaMs,
    double? P90DeltaLow,
    double? P90DeltaHigh,
    string P90Verdict,
    AbHopFigures Figures);
