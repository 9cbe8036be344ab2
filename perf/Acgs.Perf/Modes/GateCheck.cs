// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Perf.Modes;

/// <summary>One line of the gate.</summary>
internal sealed record GateCheck(string Name, CheckStatus Status, string Detail);
