// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Config;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.ControlPlaneClient;

namespace Acgs.Sidecar.Tests.ControlPlaneClient;

/// <summary>An apply path that validates with the shared validator and records what serves.</summary>
internal sealed class RecordingApplier : ISnapshotApplier
{
    public ConfigSnapshot? Current { get; private set; }

    public string? Source { get; private set; }

    public string? CurrentVersion => Current?.Version;

    public Task<ApplyResult> ApplyAsync(ConfigSnapshot snapshot, string source, CancellationToken cancellationToken)
    {
        var errors = ConfigSnapshotValidator.Validate(snapshot);
        if (errors.Count > 0)
        {
            return Task.FromResult(ApplyResult.Rejected(snapshot.Version, errors));
        }

        Current = snapshot;
        Source = source;
        return Task.FromResult(ApplyResult.Ok(snapshot.Version));
    }
}
