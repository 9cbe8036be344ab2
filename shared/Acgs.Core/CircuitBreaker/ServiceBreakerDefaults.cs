// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Frozen;

namespace Acgs.Core.CircuitBreaker;

/// <summary>The seed system's per-service breaker settings (docs/resilience.md).</summary>
public static class ServiceBreakerDefaults
{
    private static readonly CircuitBreakerOptions Fast = new() { FailMax = 3, ResetTimeout = TimeSpan.FromSeconds(15) };
    private static readonly CircuitBreakerOptions Standard = CircuitBreakerOptions.Default;

    /// <summary>Per-service defaults keyed by service name (ordinal).</summary>
    public static FrozenDictionary<string, CircuitBreakerOptions> Seed { get; } = new Dictionary<string, CircuitBreakerOptions>(StringComparer.Ordinal)
    {
        ["adaptive-governance"] = Fast,
        ["policy-registry"] = Fast,
        ["opa-client"] = Fast,
        ["audit-ledger"] = new() { FailMax = 7, ResetTimeout = TimeSpan.FromSeconds(60) },
        ["deliberation-layer"] = new() { FailMax = 7, ResetTimeout = TimeSpan.FromSeconds(45) },
        ["rust-message-bus"] = Standard,
        ["constraint-generation"] = Standard,
        ["vector-search"] = Standard,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The seed default for <paramref name="service"/>, or the mesh default.</summary>
    public static CircuitBreakerOptions For(string service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return Seed.TryGetValue(service, out var options) ? options : CircuitBreakerOptions.Default;
    }
}
