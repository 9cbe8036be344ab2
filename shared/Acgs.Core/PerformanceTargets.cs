// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Core;

/// <summary>
/// The performance targets the load gates enforce (docs/performance.md). They are measured in CI by
/// <c>./acgs perf</c>, never asserted in timed unit tests.
/// </summary>
public static class PerformanceTargets
{
    /// <summary>Open-model arrival rate of the HTTP gate, requests per second.</summary>
    public const int GateRequestsPerSecond = 6_000;

    /// <summary>End-to-end P99 latency threshold of the HTTP gate.</summary>
    public static readonly TimeSpan GateP99 = TimeSpan.FromMilliseconds(1);

    /// <summary>The sidecar's own added latency P99 goal (beyond the gate).</summary>
    public static readonly TimeSpan SidecarAddedP99Goal = TimeSpan.FromMilliseconds(0.25);

    /// <summary>Message-bus throughput gate, messages per second (128-byte payloads, loopback).</summary>
    public const int BusGateMessagesPerSecond = 100_000;

    /// <summary>Message-bus throughput goal, messages per second.</summary>
    public const int BusGoalMessagesPerSecond = 200_000;

    /// <summary>Budget of one metering record.</summary>
    public static readonly TimeSpan MeteringRecordBudget = TimeSpan.FromMicroseconds(1);
}
