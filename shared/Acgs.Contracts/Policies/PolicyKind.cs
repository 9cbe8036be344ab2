// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.Policies;

/// <summary>The policy kinds (docs/control-plane.md); the JSON <c>kind</c> is the member name, e.g. <c>CircuitBreaker</c>.</summary>
public enum PolicyKind
{
    /// <summary>Hosts and a path prefix routed to a cluster (<see cref="RouteSpec"/>).</summary>
    Route = 0,

    /// <summary>Breaker settings of a service (<see cref="CircuitBreakerSpec"/>).</summary>
    CircuitBreaker = 1,

    /// <summary>Request timeout (<see cref="TimeoutSpec"/>).</summary>
    Timeout = 2,

    /// <summary>Retries (<see cref="RetrySpec"/>).</summary>
    Retry = 3,

    /// <summary>Accepted constitutional hashes and enforcement mode (<see cref="HashPolicySpec"/>).</summary>
    HashPolicy = 4,

    /// <summary>Chaos: delays, aborts, forced-open breakers (<see cref="FaultInjectionSpec"/>).</summary>
    FaultInjection = 5,

    /// <summary>Blue/green weights (<see cref="TrafficSplitSpec"/>).</summary>
    TrafficSplit = 6,

    /// <summary>Mutual TLS mode (<see cref="MutualTlsSpec"/>).</summary>
    MutualTls = 7,

    /// <summary>Who may call whom (<see cref="AuthorizationSpec"/>).</summary>
    Authorization = 8,

    /// <summary>A quota as a local token bucket per sidecar (<see cref="RateLimitSpec"/>).</summary>
    RateLimit = 9,

    /// <summary>The trace sampling ratio (<see cref="TracingSpec"/>).</summary>
    Tracing = 10,

    /// <summary>The services a service's sidecars call: its snapshot holds only their clusters (<see cref="EgressSpec"/>).</summary>
    Egress = 11,
}
