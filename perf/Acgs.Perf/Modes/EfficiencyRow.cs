// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Perf.Modes;

/// <summary>One proxy's efficiency figures at one open-model rate.</summary>
/// <param name="Target">The proxy's name (sidecar, sidecar-before, plain-yarp, nginx, haproxy).</param>
/// <param name="Rate">The open-model rate (requests/s).</param>
/// <param name="CpuUs">CPU µs per request of the process tree over the measured window.</param>
/// <param name="Bytes">Managed bytes allocated per request, or null for a proxy without a .NET runtime.</param>
/// <param name="RssMiB">VmRSS at the end of the measured window.</param>
/// <param name="PeakMiB">VmHWM (peak RSS since the process started).</param>
/// <param name="P50Ms">Latency p50 of the window (NaN when unknown).</param>
/// <param name="P90Ms">Latency p90.</param>
/// <param name="P99Ms">Latency p99.</param>
/// <param name="Valid">The window met the open-model thresholds (generator lag, errors).</param>
internal sealed record EfficiencyRow(string Target, double Rate, double CpuUs, double? Bytes, double RssMiB, double PeakMiB,
    double P50Ms, double P90Ms, double P99Ms, bool Valid);
