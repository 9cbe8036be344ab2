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
}
