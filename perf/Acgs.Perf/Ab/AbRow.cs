// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Perf.Ab;

/// <summary>One variant's line of the A/B report.</summary>
/// <param name="Variant">The variant.</param>
/// <param name="Slices">Slices measured.</param>
/// <param name="Requests">Requests served in them.</param>
/// <param name="CpuUsMedian">Median over slices of CPU µs per request.</param>
/// <param name="CpuUsTotal">All CPU ÷ all requests.</param>
/// <param name="BytesMedian">Median over slices of managed B per request, or null.</param>
/// <param name="CpuRatio">CpuUsMedian ÷ the baseline's, or null for a baseline.</param>
/// <param name="CpuRatioTotal">CpuUsTotal ÷ the baseline's, or null.</param>
/// <param name="PairedLow">25th percentile of the per-slice ratios to the baseline's slice of the same round and slice number, or null.</param>
/// <param name="PairedHigh">75th percentile of those ratios, or null.</param>
/// <param name="Verdict"><c>baseline</c>, <c>measured</c> (no goal), <c>met</c> or <c>not met</c>.</param>
/// <param name="Latency">Latency figures and the sink's counts.</param>
internal sealed record AbRow(
    AbVariant Variant,
    int Slices,
    long Requests,
    double CpuUsMedian,
    double CpuUsTotal,
    double? BytesMedian,
    double? CpuRatio,
    double? CpuRatioTotal,
    double? PairedLow,
    double? PairedHigh,
    string Verdict,
    AbLatency Latency);
