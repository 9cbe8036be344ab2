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

    /// <summary>When set, snapshots that satisfy it are refused (as the real apply path refuses a bad one).</summary>
    public Func<ConfigSnapshot, bool>? Refuse { get; set; }

    public Task<ApplyResult> ApplyAsync(ConfigSnapshot snapshot, string source, CancellationToken cancellationToken)
    {
        var errors = Refuse?.Invoke(snapshot) == true ? ["refused by test"] : ConfigSnapshotValidator.Validate(snapshot);
        if (errors.Count > 0)
        {
            return Task.FromResult(ApplyResult.Rejected(snapshot.Version, errors));
        }

        Current = snapshot;
        Source = source;
        return Task.FromResult(ApplyResult.Ok(snapshot.Version));
    }
}
