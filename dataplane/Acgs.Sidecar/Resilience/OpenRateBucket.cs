// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Resilience;

/// <summary>
/// A token bucket on new connections: it holds up to <c>burst</c> tokens, starts full, and refills at <c>rate</c>
/// tokens a second on the <see cref="TimeProvider"/>'s clock. Taken only on the slow path of <see cref="WarmPoolHandler"/>
/// (a request that waited for a warm connection and found no free overflow connection), so a lock is cheap here.
/// </summary>
internal sealed class OpenRateBucket
{
    private readonly TimeProvider _time;
    private readonly double _ratePerSecond;
    private readonly double _burst;
    private readonly Lock _gate = new();
    private double _tokens;
    private long _stamp;

    /// <summary>Creates a full bucket of <paramref name="burst"/> tokens refilling at <paramref name="ratePerSecond"/>.</summary>
    public OpenRateBucket(double ratePerSecond, int burst, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (!(ratePerSecond > 0) || double.IsInfinity(ratePerSecond))
        {
            throw new ArgumentOutOfRangeException(nameof(ratePerSecond), ratePerSecond, "must be a positive finite rate");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        _time = time;
        _ratePerSecond = ratePerSecond;
        _burst = burst;
        _tokens = burst;
        _stamp = time.GetTimestamp();
    }

    /// <summary>Takes one token if the bucket holds one.</summary>
    public bool TryTake()
    {
        lock (_gate)
        {
            Refill();
            if (_tokens < 1)
            {
                return false;
            }

            _tokens -= 1;
            return true;
        }
    }

    /// <summary>How long until the bucket holds a whole token (zero when it holds one now).</summary>
    public TimeSpan UntilNext()
    {
        lock (_gate)
        {
            Refill();
            return _tokens >= 1 ? TimeSpan.Zero : TimeSpan.FromSeconds((1 - _tokens) / _ratePerSecond);
        }
    }

    private void Refill()
    {
        var now = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(_stamp, now).TotalSeconds;
        _stamp = now;
        if (elapsed > 0)
        {
            _tokens = Math.Min(_burst, _tokens + (elapsed * _ratePerSecond));
        }
    }
}
