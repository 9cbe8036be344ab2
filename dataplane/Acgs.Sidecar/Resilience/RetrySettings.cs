// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Resilience;

/// <summary>
/// Retry settings of one upstream cluster (docs/resilience.md). Retries are off by default. When on,
/// only idempotent requests without a body (GET, HEAD, OPTIONS, TRACE, PUT, DELETE with no
/// content: YARP streams bodies, so a body cannot be replayed) are retried, each retry goes
/// through the cluster's breaker again, and retries are bounded by a per-cluster retry budget
/// (Linkerd/Finagle style: at most <see cref="BudgetRatio"/> extra load over the last
/// <see cref="BudgetWindow"/>, plus <see cref="BudgetMinRetriesPerSecond"/> retries per second).
/// </summary>
internal sealed record RetrySettings
{
    /// <summary>Retries off: one attempt per request.</summary>
    public static RetrySettings Disabled { get; } = new();

    /// <summary>
    /// Total attempts per request, the first one included (gRPC's <c>maxAttempts</c>). 1 (the
    /// default) disables retries; at most 10.
    /// </summary>
    public int MaxAttempts { get; init; } = 1;

    /// <summary>
    /// Timeout of each attempt; null (the default) means the cluster's timeout. Every attempt is
    /// also cut short by what is left of the cluster's timeout, which bounds the whole request.
    /// </summary>
    public TimeSpan? PerTryTimeout { get; init; }

    /// <summary>Response statuses that are retried. Default 502, 503, 504. Transport errors and timeouts are always retried.</summary>
    public StatusCodeSet RetryOnStatuses { get; init; } = StatusCodeSet.GatewayErrors;

    /// <summary>Base of the exponential backoff with full jitter before retry n: random(0, min(max, base·2ⁿ⁻¹)). Default 25 ms; zero disables the wait.</summary>
    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromMilliseconds(25);

    /// <summary>Cap of the backoff. Default 250 ms.</summary>
    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Retries allowed per request over the budget window (0.2 = 20 % extra load). Default 0.2.</summary>
    public double BudgetRatio { get; init; } = 0.2;

    /// <summary>Retries per second allowed whatever the traffic (so low-traffic clusters can retry). Default 10.</summary>
    public int BudgetMinRetriesPerSecond { get; init; } = 10;

    /// <summary>The sliding window over which requests and retries are counted. Default 10 s.</summary>
    public TimeSpan BudgetWindow { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>True when more than one attempt is allowed.</summary>
    public bool Enabled => MaxAttempts > 1;

    /// <summary>Every problem with these settings (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        AddErrors(errors);
        return errors;
    }

    /// <summary>Appends every problem with these settings to <paramref name="errors"/>.</summary>
    internal void AddErrors(List<string> errors)
    {
        if (MaxAttempts is < 1 or > 10)
        {
            errors.Add($"retry.max_attempts must be between 1 and 10, got {MaxAttempts}");
        }

        if (PerTryTimeout is { } perTry && (perTry <= TimeSpan.Zero || perTry > TimeSpan.FromHours(1)))
        {
            errors.Add($"retry.per_try_timeout must be greater than 0 and at most 1 hour, got {perTry}");
        }

        if (RetryOnStatuses is null)
        {
            errors.Add("retry.retry_on_statuses must not be null");
        }

        if (BackoffBase < TimeSpan.Zero || BackoffBase > TimeSpan.FromMinutes(1))
        {
            errors.Add($"retry.backoff_base must be between 0 and 1 minute, got {BackoffBase}");
        }

        if (BackoffMax < BackoffBase || BackoffMax > TimeSpan.FromMinutes(1))
        {
            errors.Add($"retry.backoff_max must be between backoff_base and 1 minute, got {BackoffMax}");
        }

        if (double.IsNaN(BudgetRatio) || BudgetRatio < 0 || BudgetRatio > 10)
        {
            errors.Add($"retry.budget_ratio must be between 0 and 10, got {BudgetRatio}");
        }

        if (BudgetMinRetriesPerSecond is < 0 or > 100_000)
        {
            errors.Add($"retry.budget_min_retries_per_second must be between 0 and 100000, got {BudgetMinRetriesPerSecond}");
        }

        if (BudgetWindow < TimeSpan.FromSeconds(1) || BudgetWindow > TimeSpan.FromMinutes(10))
        {
            errors.Add($"retry.budget_window must be between 1 second and 10 minutes, got {BudgetWindow}");
        }
    }
}
