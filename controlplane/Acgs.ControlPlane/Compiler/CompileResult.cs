// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Config;

namespace Acgs.ControlPlane.Compiler;

/// <summary>A compiled snapshot, or every error that kept it from compiling; warnings name policy kinds the snapshot format cannot carry; quarantined policies were left out of it.</summary>
internal sealed record CompileResult(ConfigSnapshot? Snapshot, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings)
{
    /// <summary>The snapshot's compact JSON (serialized once, while computing its version), or null.</summary>
    public byte[]? Json { get; init; }

    /// <summary>Active policies left out of <see cref="Snapshot"/> because it does not compile with them (<see cref="QuarantineResolver"/>).</summary>
    public IReadOnlyList<QuarantinedPolicy> Quarantined { get; init; } = [];
}
