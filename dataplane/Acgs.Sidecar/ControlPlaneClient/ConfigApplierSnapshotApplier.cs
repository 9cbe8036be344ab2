// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Config;
using Acgs.Sidecar.Config;

namespace Acgs.Sidecar.ControlPlaneClient;

/// <summary>Adapts <see cref="ConfigApplier"/> (the same path the bootstrap file takes) to <see cref="ISnapshotApplier"/>.</summary>
internal sealed class ConfigApplierSnapshotApplier(ConfigApplier applier) : ISnapshotApplier
{
    public string? CurrentVersion => applier.CurrentOrNull?.Snapshot.Version;

    public Task<ApplyResult> ApplyAsync(ConfigSnapshot snapshot, string source, CancellationToken cancellationToken) =>
        applier.ApplyAsync(snapshot, source, cancellationToken);
}
