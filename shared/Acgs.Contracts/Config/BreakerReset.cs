// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;

namespace Acgs.Contracts.Config;

/// <summary>
/// A one-shot command carried by a snapshot (JSON <c>breaker_resets[]</c>, recovery, docs/control-plane.md): close the
/// circuit breakers named in <see cref="Clusters"/> that this sidecar holds. A sidecar performs each reset once per
/// <see cref="Id"/> (it remembers recent ids), only when it accepts the snapshot, and skips breakers a chaos
/// force-open rule holds open. Configuration is unaffected: the reset is an event, not state.
/// </summary>
public sealed record BreakerReset
{
    /// <summary>Most clusters one reset may name.</summary>
    public const int MaxClusters = 64;

    /// <summary>Longest <see cref="Id"/>.</summary>
    public const int MaxIdLength = 64;

    /// <summary>Unique id of this reset (JSON <c>id</c>), 1–64 printable ASCII characters.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>Breaker (cluster) names to close (JSON <c>clusters</c>), 1–64 names of 1–253 printable characters.</summary>
    public ImmutableArray<string> Clusters { get; init; } = [];

    /// <summary>Why (JSON <c>reason</c>), e.g. <c>recovery of orders</c>; at most 253 printable characters.</summary>
    public string? Reason { get; init; }

    /// <summary>When the control plane issued it (JSON <c>issued_at</c>).</summary>
    public DateTimeOffset? IssuedAt { get; init; }
}
