// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.CircuitBreaker;
using Breaker = Acgs.Core.CircuitBreaker.CircuitBreaker;

namespace Acgs.Core.Tests.CircuitBreaker;

/// <summary>A faulty listener: throws on every notification and counts how often it was called.</summary>
internal sealed class ThrowingListener : ICircuitBreakerListener
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public void OnStateChanged(Breaker breaker, CircuitState previous, CircuitState current)
    {
        Interlocked.Increment(ref _calls);
        throw new InvalidOperationException("listener failure");
    }
}
