// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;

namespace Acgs.Contracts.Config;

/// <summary>
/// Settings of the inbound cluster, the local app (JSON <c>inbound</c>). Its address is sidecar-local
/// (<c>ACGS_APP_HOST</c>/<c>ACGS_APP_PORT</c>), not part of the snapshot.
/// </summary>
public sealed record InboundConfig
{
    /// <summary>No overrides.</summary>
    public static InboundConfig Default { get; } = new();

    /// <summary>Breaker override for the local app (JSON <c>breaker</c>); null = 5 / 30 s.</summary>
    public BreakerSettings? Breaker { get; init; }

    /// <summary>Time allowed for the app's response headers (JSON <c>timeout_seconds</c>); null = 30 s.</summary>
    public double? TimeoutSeconds { get; init; }

    /// <summary>Retry settings (JSON <c>retry</c>); null = no retries.</summary>
    public RetryPolicy? Retry { get; init; }

    /// <summary>Response statuses that count as breaker failures (JSON <c>failure_statuses</c>); empty = 502, 503, 504.</summary>
    public ImmutableArray<int> FailureStatuses { get; init; } = [];
}
