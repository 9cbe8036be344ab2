// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.CircuitBreaker;
using BenchmarkDotNet.Attributes;
using Breaker = Acgs.Core.CircuitBreaker.CircuitBreaker;

namespace Acgs.Benchmarks.CircuitBreaker;

/// <summary>The breaker's success path on a closed breaker: must allocate nothing.</summary>
[MemoryDiagnoser]
public class CircuitBreakerBenchmarks
{
    private const string Service = "policy-registry";

    private readonly Breaker _breaker = new("bench-upstream", CircuitBreakerOptions.Default);
    private readonly CircuitBreakerRegistry _registry = new();

    [GlobalSetup]
    public void Setup() => _ = _registry.Get(Service); // created once, outside the measurement

    [Benchmark(Baseline = true)]
    public bool TryAcquireRecordSuccess()
    {
        var permit = _breaker.TryAcquire();
        return _breaker.Record(permit, CircuitOutcome.Success);
    }

    [Benchmark]
    public bool RegistryGetTryAcquireRecordSuccess()
    {
        var breaker = _registry.Get(Service);
        var permit = breaker.TryAcquire();
        return breaker.Record(permit, CircuitOutcome.Success);
    }
}
