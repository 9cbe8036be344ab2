// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Resilience;

/// <summary>
/// A small lock-free pool of <see cref="CancellationTokenSource"/>s whose timers run on a
/// <see cref="TimeProvider"/>, used for per-attempt timeouts without allocating per request.
/// </summary>
/// <remarks>
/// A source may only be reused when nothing can still hold its token. After
/// <c>SocketsHttpHandler.SendAsync</c> returns the response headers, a request <em>without</em> a
/// body leaves no registration behind, but a request with a body may still be sending it (HTTP/2
/// and HTTP/1.1 duplex) under the token it was given; reusing that source for another request
/// would let that request's timeout cancel this upload. So <see cref="Return"/> only pools sources
/// of bodyless requests; the others get their timer stopped and are left to the GC (not
/// disposed, so a late registration on their token stays valid and simply never fires).
/// This is also why the timeout is not Polly's <c>TimeoutStrategy</c>, which returns its source
/// to a pool as soon as the callback returns.
/// </remarks>
internal sealed class TimeoutSourcePool
{
    private readonly CancellationTokenSource?[] _slots;
    private readonly TimeProvider _time;

    /// <summary>Creates a pool holding at most <paramref name="capacity"/> idle sources.</summary>
    public TimeoutSourcePool(TimeProvider timeProvider, int capacity)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _time = timeProvider;
        _slots = new CancellationTokenSource?[capacity];
    }

    /// <summary>A source with no timer set and not cancelled.</summary>
    public CancellationTokenSource Rent()
    {
        var slots = _slots;
        for (var i = 0; i < slots.Length; i++)
        {
            var source = Interlocked.Exchange(ref slots[i], null);
            if (source is not null)
            {
                return source;
            }
        }

        return new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
    }

    /// <summary>
    /// Gives a source back. <paramref name="reusable"/> says nothing can still hold its token
    /// (the request had no body); otherwise the source is only disarmed.
    /// </summary>
    public void Return(CancellationTokenSource source, bool reusable)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.TryReset())
        {
            source.Dispose(); // cancelled: its token is done, whoever holds it has seen it
            return;
        }

        if (!reusable)
        {
            return; // disarmed (timer stopped); left to the GC
        }

        var slots = _slots;
        for (var i = 0; i < slots.Length; i++)
        {
            if (Interlocked.CompareExchange(ref slots[i], source, null) is null)
            {
                return;
            }
        }

        source.Dispose();
    }
}
