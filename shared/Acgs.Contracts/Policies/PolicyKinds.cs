// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;

namespace Acgs.Contracts.Policies;

/// <summary>Names of the <see cref="PolicyKind"/> values as they appear in JSON (exact, case-sensitive).</summary>
public static class PolicyKinds
{
    /// <summary>Every kind name, in <see cref="PolicyKind"/> order.</summary>
    public static ImmutableArray<string> Names { get; } =
        ["Route", "CircuitBreaker", "Timeout", "Retry", "HashPolicy", "FaultInjection", "TrafficSplit", "MutualTls", "Authorization", "RateLimit", "Tracing", "Egress"];

    /// <summary>The JSON name of <paramref name="kind"/>.</summary>
    public static string ToName(PolicyKind kind) => (uint)kind < (uint)Names.Length
        ? Names[(int)kind]
        : throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown policy kind");

    /// <summary>Parses a JSON kind name (exact match).</summary>
    public static bool TryParse(string? name, out PolicyKind kind)
    {
        for (var i = 0; i < Names.Length; i++)
        {
            if (string.Equals(Names[i], name, StringComparison.Ordinal))
            {
                kind = (PolicyKind)i;
                return true;
            }
        }

        kind = default;
        return false;
    }

    /// <summary>The spec type of <paramref name="kind"/>.</summary>
    public static Type SpecType(PolicyKind kind) => kind switch
    {
        PolicyKind.Route => typeof(RouteSpec),
        PolicyKind.CircuitBreaker => typeof(CircuitBreakerSpec),
        PolicyKind.Timeout => typeof(TimeoutSpec),
        PolicyKind.Retry => typeof(RetrySpec),
        PolicyKind.HashPolicy => typeof(HashPolicySpec),
        PolicyKind.FaultInjection => typeof(FaultInjectionSpec),
        PolicyKind.TrafficSplit => typeof(TrafficSplitSpec),
        PolicyKind.MutualTls => typeof(MutualTlsSpec),
        PolicyKind.Authorization => typeof(AuthorizationSpec),
        PolicyKind.RateLimit => typeof(RateLimitSpec),
        PolicyKind.Tracing => typeof(TracingSpec),
        PolicyKind.Egress => typeof(EgressSpec),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown policy kind"),
    };
}
