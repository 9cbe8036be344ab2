// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.CircuitBreaker;

namespace Acgs.Sidecar.Resilience;

/// <summary>
/// Resilience settings of one upstream cluster: its breaker, its timeout and its retries
/// (docs/resilience.md). Immutable; a new config snapshot brings new instances.
/// </summary>
/// <param name="Breaker">
/// The breaker settings. They are applied to the cluster's breaker in the
/// <see cref="CircuitBreakerRegistry"/> (state kept) the first time a request sees this instance,
/// so the config that produces these records owns the breaker settings of proxied clusters.
/// </param>
/// <param name="Timeout">
/// Time allowed for the upstream to answer with response headers, all attempts included (the
/// response body then streams without this limit; YARP's activity timeout still applies). Null
/// means <see cref="DefaultTimeout"/> (30 s); <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> means none.
/// </param>
/// <param name="Retry">The retry settings; <see cref="RetrySettings.Disabled"/> by default.</param>
internal sealed record ClusterResilience(CircuitBreakerOptions Breaker, TimeSpan? Timeout, RetrySettings Retry)
{
    /// <summary>The timeout used when <see cref="Timeout"/> is null: 30 s.</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(30);

    /// <summary>Mesh defaults: breaker 5 failures / 30 s, 30 s timeout, no retries, failures 502/503/504.</summary>
    public static ClusterResilience Default { get; } = new(CircuitBreakerOptions.Default, null, RetrySettings.Disabled);

    /// <summary>
    /// Response statuses that count as upstream failures for the breaker. Default 502, 503, 504.
    /// Transport errors and timeouts always count; other responses (2xx, 3xx, 4xx, other 5xx) never do.
    /// </summary>
    public StatusCodeSet FailureStatuses { get; init; } = StatusCodeSet.GatewayErrors;

    /// <summary>The timeout that applies: <see cref="Timeout"/> or <see cref="DefaultTimeout"/>; infinite means none.</summary>
    public TimeSpan EffectiveTimeout => Timeout ?? DefaultTimeout;

    /// <summary>
    /// The defaults for <paramref name="clusterId"/>: <see cref="Default"/> with the seed system's
    /// per-service breaker settings (<see cref="ServiceBreakerDefaults"/>) when the cluster is one of them.
    /// </summary>
    public static ClusterResilience For(string clusterId)
    {
        var breaker = ServiceBreakerDefaults.For(clusterId);
        return ReferenceEquals(breaker, Default.Breaker) ? Default : Default with { Breaker = breaker };
    }

    /// <summary>Every problem with these settings (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Breaker is null)
        {
            errors.Add("breaker must not be null");
        }
        else
        {
            errors.AddRange(Breaker.Validate());
        }

        if (Timeout is { } timeout && timeout != System.Threading.Timeout.InfiniteTimeSpan
            && (timeout <= TimeSpan.Zero || timeout > TimeSpan.FromHours(1)))
        {
            errors.Add($"timeout must be greater than 0 and at most 1 hour (or infinite), got {timeout}");
        }

        if (FailureStatuses is null)
        {
            errors.Add("failure_statuses must not be null");
        }

        if (Retry is null)
        {
            errors.Add("retry must not be null");
        }
        else
        {
            Retry.AddErrors(errors);
        }

        return errors;
    }
}
