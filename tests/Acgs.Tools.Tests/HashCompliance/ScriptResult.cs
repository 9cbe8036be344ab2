// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Tools.Tests.HashCompliance;

/// <summary>Exit code and combined output of one run of the hash-compliance script.</summary>
internal sealed record ScriptResult(int ExitCode, string Output)
{
    public override string ToString() => $"exit {ExitCode}:\n{Output}";
}
