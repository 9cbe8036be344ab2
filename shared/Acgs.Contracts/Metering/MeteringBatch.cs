// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;

namespace Acgs.Contracts.Metering;

/// <summary>What a sidecar posts to <see cref="Path"/>: its closed windows, oldest first.</summary>
public sealed record MeteringBatch
{
    /// <summary>The control plane's endpoint for batches (POST, the sidecar's credential).</summary>
    public const string Path = "/api/v1/metering/windows";

    /// <summary>Most windows in one batch.</summary>
    public const int MaxWindows = 64;

    /// <summary>The windows.</summary>
    public ImmutableArray<MeteringWindow> Windows { get; init => field = value.IsDefault ? [] : value; } = [];
}
