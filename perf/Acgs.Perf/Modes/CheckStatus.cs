// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Perf.Modes;

/// <summary>Verdict of one gate line.</summary>
internal enum CheckStatus
{
    Pass,
    Fail,
    Inconclusive,
    Invalid,
}
