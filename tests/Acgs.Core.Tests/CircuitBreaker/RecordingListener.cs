// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using Acgs.Core.CircuitBreaker;
using Breaker = Acgs.Core.CircuitBreaker.CircuitBreaker;

namespace Acgs.Core.Tests.CircuitBreaker;

/// <summary>Records every transition it is told about (thread-safe).</summary>
internal sealed class RecordingListener : ICircuitBreakerListener
{
    private readonly ConcurrentQueue<(Breaker Breaker, CircuitState Previous, CircuitState Current)> _seen = new();

    public IReadOnlyList<(CircuitState Previous, CircuitState Current)> Transitions =>
        [.. _seen.Select(static t => (t.Previous, t.Current))];

    public IReadOnlyList<Breaker> Breakers => [.. _seen.Select(static t => t.Breaker)];

    public int Count(CircuitState previous, CircuitState current) =>
        _seen.Count(t => t.Previous == previous && t.Current == current);

    public void OnStateChanged(Breaker breaker, CircuitState previous, CircuitState current) =>
        _seen.Enqueue((breaker, previous, current));
}
