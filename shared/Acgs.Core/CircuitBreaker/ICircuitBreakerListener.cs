// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Core.CircuitBreaker;

/// <summary>Observes breaker transitions. Called once per transition, outside the breaker's lock.</summary>
public interface ICircuitBreakerListener
{
    /// <summary>The breaker moved from <paramref name="previous"/> to <paramref name="current"/>.</summary>
    void OnStateChanged(CircuitBreaker breaker, CircuitState previous, CircuitState current);
}
