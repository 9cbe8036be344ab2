// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.RateLimiting;
using Acgs.Sidecar.RateLimiting;
using BenchmarkDotNet.Attributes;

namespace Acgs.Benchmarks.RateLimiting;

/// <summary>
/// The rate limit's decision per request (docs/metering.md#rate-limits-ratelimit-policy): one token taken from the
/// service's bucket (<see cref="AllowedPerService"/>), from a known caller's bucket, found by its SPIFFE ID
/// (<see cref="AllowedPerCaller"/>), and a refusal with its <c>Retry-After</c> seconds (<see cref="LimitedPerService"/>).
/// The clock is <see cref="TimeProvider.System"/>, as in the sidecar. Every row must be 0 B/op.
/// </summary>
[MemoryDiagnoser]
public class RateLimiterBenchmarks
{
    private const string Caller = "spiffe://acgs.local/ns/governance/sa/vector-search";

    private RateLimiter _service = null!;
    private RateLimiter _caller = null!;
    private RateLimiter _spent = null!;

    [GlobalSetup]
    public void Setup()
    {
        // One token per clock tick: no loop can spend the bucket, so every call takes the allowed path.
        var open = new RateLimitConfig { Name = "open", RequestsPerSecond = TimeProvider.System.TimestampFrequency, Burst = 1_000_000 };
        _service = new RateLimiter(open, TimeProvider.System);
        _caller = new RateLimiter(open with { Per = RateLimitKey.Caller }, TimeProvider.System);
        _spent = new RateLimiter(new RateLimitConfig { Name = "spent", RequestsPerSecond = 0.001, Burst = 1 }, TimeProvider.System);
        if (!_caller.TryAcquire(Caller, out _) || _caller.KeyCount != 1 || !_spent.TryAcquire(null, out _) || _spent.TryAcquire(null, out var retry) || retry < 1)
        {
            throw new InvalidOperationException("benchmark limiters do not decide as expected");
        }
    }

    [Benchmark(Baseline = true)]
    public bool AllowedPerService() => _service.TryAcquire(null, out _);

    [Benchmark]
    public bool AllowedPerCaller() => _caller.TryAcquire(Caller, out _);

    [Benchmark]
    public int LimitedPerService() => _spent.TryAcquire(null, out var retryAfter) ? 0 : retryAfter;
}
