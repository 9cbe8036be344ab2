// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.RateLimiting;

/// <summary>
/// One token bucket, kept as the generic cell rate algorithm keeps it: a single theoretical arrival time (TAT, in
/// <see cref="TimeProvider"/> timestamp ticks) updated with a compare-and-swap. A request costs one emission interval
/// (1 / rate); it is let through when the TAT it would leave is at most <c>burst</c> intervals ahead of now — exactly a
/// bucket of <c>burst</c> tokens refilled at <c>rate</c>. Lock-free, no allocation; starts full.
/// </summary>
internal sealed class TokenBucket
{
    private long _tat;

    /// <summary>Takes one token at <paramref name="now"/>; when there is none, false and the ticks until there is one.</summary>
    public bool TryTake(long now, long interval, long capacity, out long waitTicks)
    {
        while (true)
        {
            var tat = Volatile.Read(ref _tat);
            var next = Math.Max(tat, now) + interval;
            var ahead = next - now;
            if (ahead > capacity)
            {
                waitTicks = ahead - capacity;
                return false;
            }

            if (Interlocked.CompareExchange(ref _tat, next, tat) == tat)
            {
                waitTicks = 0;
                return true;
            }
        }
    }
}
