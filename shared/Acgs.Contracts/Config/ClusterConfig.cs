// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;

namespace Acgs.Contracts.Config;

/// <summary>An upstream cluster (JSON <c>clusters.&lt;name&gt;</c>): where it is and how to protect calls to it.</summary>
public sealed record ClusterConfig
{
    /// <summary>
    /// Destination addresses (JSON <c>destinations</c>), at least one: <c>http://host:port</c>,
    /// <c>https://host:port</c> or <c>host:port</c> (meaning http).
    /// </summary>
    public ImmutableArray<string> Destinations { get; init; } = [];

    /// <summary>Breaker override (JSON <c>breaker</c>); null = the seed per-service default or 5 / 30 s.</summary>
    public BreakerSettings? Breaker { get; init; }

    /// <summary>Time allowed for response headers, all attempts included (JSON <c>timeout_seconds</c>), (0, 3600]. Null = 30 s.</summary>
    public double? TimeoutSeconds { get; init; }

    /// <summary>Retry settings (JSON <c>retry</c>); null = no retries.</summary>
    public RetryPolicy? Retry { get; init; }

    /// <summary>
    /// The SPIFFE ID the destinations must prove (JSON <c>identity</c>) when they are meshed sidecars: the sidecar then
    /// calls them over mutual TLS and refuses any other peer. Null (the default) = plain HTTP, as for non-mesh destinations.
    /// </summary>
    public string? Identity { get; init; }

    /// <summary>Response statuses that count as breaker failures (JSON <c>failure_statuses</c>); empty = 502, 503, 504.</summary>
    public ImmutableArray<int> FailureStatuses { get; init; } = [];
}
