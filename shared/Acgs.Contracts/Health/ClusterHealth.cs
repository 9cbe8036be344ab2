// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.CircuitBreaker;

namespace Acgs.Contracts.Health;

/// <summary>One breaker in a <see cref="HealthReport"/>: <c>{"name":"orders","state":"closed"}</c>.</summary>
/// <param name="Name">The upstream cluster (JSON <c>name</c>).</param>
/// <param name="State"><c>closed</c>, <c>half_open</c> or <c>open</c> (<see cref="CircuitStateNames"/>; JSON <c>state</c>). Text, so a bad value is one validation error among the others rather than a parse failure.</param>
public sealed record ClusterHealth(string? Name, string? State)
{
    /// <summary>The entry for breaker <paramref name="name"/> in <paramref name="state"/>.</summary>
    public static ClusterHealth Of(string name, CircuitState state) => new(name, CircuitStateNames.Of(state));
}
