// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.RateLimiting;
using Acgs.Sidecar.RateLimiting;
using Microsoft.Extensions.Time.Testing;

namespace Acgs.Sidecar.Tests.RateLimiting;

/// <summary>The token bucket's budget on fake time: burst, refill, Retry-After, per-key buckets and their bound.</summary>
public sealed class RateLimiterTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 15, 0, 0, TimeSpan.Zero);

    private static int Admitted(RateLimiter limiter, string? key, int tries)
    {
        var admitted = 0;
        for (var i = 0; i < tries; i++)
        {
            admitted += limiter.TryAcquire(key, out _) ? 1 : 0;
        }

        return admitted;
    }

    [Fact]
    public void TryAcquire_BurstThenRefill_ExactBudget()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new RateLimiter(new RateLimitConfig { Name = "l", RequestsPerSecond = 10, Burst = 5 }, time);

        Assert.Equal(5, Admitted(limiter, null, 50));
        time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.Equal(0, Admitted(limiter, null, 5));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, Admitted(limiter, null, 5));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(5, Admitted(limiter, null, 50)); // refilled to the burst, never above it
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(5, Admitted(limiter, null, 50));
    }

    [Fact]
    public void TryAcquire_SteadyRate_AdmitsRateTimesSecondsPlusBurst()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new RateLimiter(new RateLimitConfig { Name = "l", RequestsPerSecond = 4, Burst = 2 }, time);
        var admitted = 0;
        for (var ms = 0; ms < 10_000; ms += 50)
        {
            admitted += Admitted(limiter, null, 3);
            time.Advance(TimeSpan.FromMilliseconds(50));
        }

        Assert.Equal(2 + 4 * 10 - 1, admitted); // 2 at once, then one every 250 ms of the 9.95 s that follow
    }

    [Fact]
    public void TryAcquire_Spent_RetryAfterRoundsUpToWholeSeconds()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new RateLimiter(new RateLimitConfig { Name = "l", RequestsPerSecond = 0.25, Burst = 1 }, time);

        Assert.True(limiter.TryAcquire(null, out _));
        Assert.False(limiter.TryAcquire(null, out var first));
        time.Advance(TimeSpan.FromSeconds(2.5));
        Assert.False(limiter.TryAcquire(null, out var later));
        time.Advance(TimeSpan.FromSeconds(1.5));

        Assert.Equal(4, first);
        Assert.Equal(2, later);
        Assert.True(limiter.TryAcquire(null, out _));
    }

    [Fact]
    public void TryAcquire_PerCaller_SeparateBucketsBoundedInNumber()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new RateLimiter(new RateLimitConfig { Name = "l", RequestsPerSecond = 1, Burst = 1, Per = RateLimitKey.Caller }, time);
        var keys = new string[RateLimiter.MaxKeys + 10];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = "spiffe://mesh.test/svc/caller-" + i;
        }

        Assert.Equal(RateLimiter.MaxKeys + 1, Admitted(keys, limiter)); // past the bound, new keys share one overflow bucket (of 1)
        Assert.Equal(RateLimiter.MaxKeys, limiter.KeyCount);
        Assert.False(limiter.TryAcquire(keys[0], out _));
    }

    private static int Admitted(string[] keys, RateLimiter limiter)
    {
        var admitted = 0;
        foreach (var key in keys)
        {
            admitted += limiter.TryAcquire(key, out _) ? 1 : 0;
        }

        return admitted;
    }
}
