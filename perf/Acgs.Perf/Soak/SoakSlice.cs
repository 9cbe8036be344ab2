// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Perf.Soak;

/// <summary>
/// One slice of the soak's load: when it started (seconds since the load started), requests sent, failed ones
/// (transport errors and every status but 200, by status), achieved rate and latency percentiles (ms).
/// </summary>
internal sealed record SoakSlice(double StartSeconds, long Requests, long Failed, IReadOnlyDictionary<int, long> Statuses, double AchievedRate, double P50Ms, double P99Ms, double MaxMs);
