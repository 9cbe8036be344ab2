// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Perf.Settings;

/// <summary>What <c>./acgs perf</c> runs.</summary>
internal enum PerfMode
{
    Gate,
    Compare,
    Capacity,
    Efficiency,
    All,

    /// <summary>The same sidecar under several environment variants (<c>./acgs perf ab</c>).</summary>
    Ab,
}
