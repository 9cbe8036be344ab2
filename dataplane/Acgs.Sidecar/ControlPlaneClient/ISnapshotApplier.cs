// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Config;
using Acgs.Sidecar.Config;

namespace Acgs.Sidecar.ControlPlaneClient;

/// <summary>The sidecar's single apply path as the client sees it (<see cref="ConfigApplier.ApplyAsync"/> in production).</summary>
internal interface ISnapshotApplier
{
    /// <summary>The version currently serving, or null.</summary>
    string? CurrentVersion { get; }

    /// <summary>Validates and applies atomically; a rejected snapshot leaves the previous one serving.</summary>
    Task<ApplyResult> ApplyAsync(ConfigSnapshot snapshot, string source, CancellationToken cancellationToken);
}
