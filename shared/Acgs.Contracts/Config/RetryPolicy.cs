// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;

namespace Acgs.Contracts.Config;

/// <summary>
/// Retry settings of a cluster (JSON <c>retry</c>). Off unless <c>max_attempts</c> &gt; 1; only
/// idempotent requests are retried and retries are bounded by a retry budget. Null fields take the
/// sidecar's defaults.
/// </summary>
public sealed record RetryPolicy
{
    /// <summary>Total attempts including the first (JSON <c>max_attempts</c>), 1–10. Null or 1: no retries.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>Timeout of each attempt in seconds (JSON <c>per_try_timeout_seconds</c>); null = the cluster timeout.</summary>
    public double? PerTryTimeoutSeconds { get; init; }

    /// <summary>Statuses that are retried (JSON <c>retry_on_statuses</c>); empty = 502, 503, 504.</summary>
    public ImmutableArray<int> RetryOnStatuses { get; init; } = [];

    /// <summary>Backoff base in milliseconds (JSON <c>backoff_base_ms</c>), 0–60000. Default 25.</summary>
    public double? BackoffBaseMs { get; init; }

    /// <summary>Backoff cap in milliseconds (JSON <c>backoff_max_ms</c>), 0–60000. Default 250.</summary>
    public double? BackoffMaxMs { get; init; }

    /// <summary>Extra load retries may add (JSON <c>budget_ratio</c>), 0–10. Default 0.2.</summary>
    public double? BudgetRatio { get; init; }

    /// <summary>Retries per second always allowed (JSON <c>budget_min_retries_per_second</c>). Default 10.</summary>
    public int? BudgetMinRetriesPerSecond { get; init; }

    /// <summary>Budget window in seconds (JSON <c>budget_window_seconds</c>), 1–600. Default 10.</summary>
    public double? BudgetWindowSeconds { get; init; }
}
