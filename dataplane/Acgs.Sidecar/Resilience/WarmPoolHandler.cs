// Constitutional Hash: cdd01ef066bc6cf2

using System.Net.Sockets;
using Prometheus;

namespace Acgs.Sidecar.Resilience;

/// <summary>
/// Keeps an HTTP/1.1 mTLS hop on a bounded set of warm connections without capping its concurrency at that set. The
/// inner handler's pool is bounded (<c>ACGS_MTLS_MAX_CONNECTIONS</c>); a request finds a slot at once while fewer than
/// that many are in flight, and otherwise waits for one for at most <c>ACGS_MTLS_OVERFLOW_AFTER_MS</c>; after that it
/// goes over an overflow pool of its own (same TLS settings, its idle connections closed like any other), itself
/// bounded (<c>ACGS_MTLS_OVERFLOW_MAX_CONNECTIONS</c>): with every overflow slot taken too, the request waits for a warm
/// or an overflow slot, whichever frees first, within its own timeout, and never opens a connection beyond the two
/// bounds. Bursts shorter than the wait reuse the warm connections (no handshakes); long calls beyond the warm bound
/// still proceed. With an open rate (<c>ACGS_MTLS_OVERFLOW_OPEN_RATE</c>, a token bucket of
/// <c>ACGS_MTLS_OVERFLOW_OPEN_BURST</c>) the overflow pool also grows no faster than that: its slots exist only for its
/// open connections plus those a token was spent on, so a request that finds every overflow connection busy and the
/// bucket empty waits, within its own timeout, for a warm or an overflow slot, or for the next token, whichever comes
/// first, instead of handshaking. A closed overflow connection (idle timeout, lifetime, peer close) takes its slot away,
/// so reopening it costs a token again.
/// </summary>
/// <remarks>
/// A slot is held until the response headers arrive (or the request fails): on the sidecar's tracked path
/// (<see cref="UpstreamCall"/>) the call releases it when YARP completes it, so the common path allocates nothing;
/// other requests hold it in an async frame. While a response body is still being read, its connection is still
/// busy: a request that gets the freed slot meanwhile waits briefly inside that bounded pool (each pool's own
/// connection limit equals its slots), never opening a connection beyond the bound.
/// </remarks>
internal sealed class WarmPoolHandler : DelegatingHandler
{
    private static readonly TimeSpan MinOpenWait = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan MaxOpenWait = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _slots;
    private readonly int _warm;
    private readonly HttpMessageInvoker _overflow;
    private readonly SemaphoreSlim _overflowSlots; // free overflow slots
    private readonly int _overflowMax;
    private readonly TimeSpan _overflowAfter;
    private readonly TimeProvider _time;
    private readonly WarmPoolMetrics _metrics;
    private readonly OpenRateBucket? _opens; // null: no open rate, every overflow slot exists from the start
    private readonly Lock _capacityGate = new();
    private int _overflowCapacity; // overflow slots that exist, free or held (at most _overflowMax)
    private int _retireOwed; // slots to drop when next taken: an overflow connection closed while every slot was held
    private int _overflowConnections;

    /// <summary>Creates the handler: <paramref name="pools"/>' warm slots before <paramref name="inner"/>, its overflow
    /// slots before <paramref name="overflow"/> (whose own connection limit should be the same). With an open rate and an
    /// overflow <see cref="SocketsHttpHandler"/> without a connect callback of its own, the handler sets one that
    /// counts the overflow pool's connections.</summary>
    public WarmPoolHandler(HttpMessageHandler inner, HttpMessageHandler overflow, WarmPoolSizes pools, TimeProvider time, WarmPoolMetrics metrics)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(overflow);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentOutOfRangeException.ThrowIfLessThan(pools.Warm, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pools.Overflow, 1);
        _warm = pools.Warm;
        _slots = new SemaphoreSlim(pools.Warm, pools.Warm);
        _overflowMax = pools.Overflow;
        _opens = pools.OverflowOpenRate > 0 ? new OpenRateBucket(pools.OverflowOpenRate, pools.OverflowOpenBurst, time) : null;
        _overflowCapacity = _opens is null ? pools.Overflow : 0;
        _overflowSlots = new SemaphoreSlim(_overflowCapacity, pools.Overflow);
        _overflowAfter = pools.OverflowAfter;
        _time = time;
        _metrics = metrics;
        if (_opens is not null && overflow is SocketsHttpHandler { ConnectCallback: null } sockets)
        {
            sockets.ConnectCallback = ConnectOverflowAsync;
        }

        _overflow = new HttpMessageInvoker(overflow, disposeHandler: true);
    }

    /// <summary>Requests holding a warm slot now (tests and diagnostics).</summary>
    public int InFlight => _warm - _slots.CurrentCount;

    /// <summary>Requests holding an overflow slot now (tests and diagnostics).</summary>
    public int OverflowInFlight
    {
        get
        {
            lock (_capacityGate)
            {
                return _overflowCapacity - _overflowSlots.CurrentCount;
            }
        }
    }

    /// <summary>Overflow slots that exist now, free or held, less those owed to closed connections (tests and
    /// diagnostics): with an open rate, the overflow connections open or paid for.</summary>
    public int OverflowCapacity
    {
        get
        {
            lock (_capacityGate)
            {
                return _overflowCapacity - _retireOwed;
            }
        }
    }

    /// <summary>Overflow connections open now, counted by the connect callback the handler set (tests and diagnostics).</summary>
    public int OverflowConnections => Volatile.Read(ref _overflowConnections);

    /// <summary>An overflow connection closed: with an open rate its slot goes away (at once if free, else the next
    /// time one is taken), so reopening it costs a token. Called by the counted connections; tests call it directly.</summary>
    internal void OnOverflowConnectionClosed()
    {
        if (_opens is null)
        {
            return;
        }

        lock (_capacityGate)
        {
            if (_overflowCapacity - _retireOwed <= 0)
            {
                return; // more connections than slots (the pool opened one for a slot whose connection was still busy)
            }

            if (_overflowSlots.Wait(0, CancellationToken.None))
            {
                _overflowCapacity--;
            }
            else
            {
                _retireOwed++;
            }
        }
    }

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = UpstreamCall.TakeSending(request);
        if (!_slots.Wait(0, CancellationToken.None)) // never blocks
        {
            return SendAfterWaitAsync(request, call, cancellationToken);
        }

        if (call is null)
        {
            return SendHoldingAsync(request, cancellationToken);
        }

        call.HoldSlot(_slots); // released when the call completes (response headers) or is abandoned
        return base.SendAsync(request, cancellationToken);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _overflow.Dispose(); // the slots are left to the collector: a request still in flight releases its slot later
        }

        base.Dispose(disposing);
    }

    private async Task<HttpResponseMessage> SendHoldingAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task<HttpResponseMessage> SendOverflowHoldingAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _overflow.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _overflowSlots.Release();
        }
    }

    private async Task<HttpResponseMessage> SendAfterWaitAsync(HttpRequestMessage request, UpstreamCall? call, CancellationToken cancellationToken)
    {
        _metrics.Waits.Inc();
        var throttled = false;
        var slot = await WaitForSlotAsync(cancellationToken).ConfigureAwait(false) ? _slots
            : TryTakeOverflow(out throttled) ? _overflowSlots
            : await WaitForEitherSlotAsync(throttled, cancellationToken).ConfigureAwait(false);
        if (ReferenceEquals(slot, _slots))
        {
            if (call is null)
            {
                return await SendHoldingAsync(request, cancellationToken).ConfigureAwait(false);
            }

            call.HoldSlot(_slots);
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        _metrics.Overflows.Inc();
        if (call is null)
        {
            return await SendOverflowHoldingAsync(request, cancellationToken).ConfigureAwait(false);
        }

        call.HoldSlot(_overflowSlots);
        return await _overflow.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    // A free overflow slot, else (with an open rate) a new one paid for with a token; throttled: the bucket was empty.
    private bool TryTakeOverflow(out bool throttled)
    {
        throttled = false;
        while (_overflowSlots.Wait(0, CancellationToken.None))
        {
            if (Keep())
            {
                return true;
            }
        }

        if (_opens is null)
        {
            return false;
        }

        lock (_capacityGate)
        {
            if (_overflowCapacity >= _overflowMax)
            {
                return false;
            }

            if (!_opens.TryTake())
            {
                throttled = true;
                return false;
            }

            _overflowCapacity++; // held by this request; its release makes it a free slot of the new connection
            return true;
        }
    }

    // A taken overflow slot is kept unless a closed connection still owes one: then it is dropped instead.
    private bool Keep()
    {
        if (Volatile.Read(ref _retireOwed) == 0)
        {
            return true;
        }

        lock (_capacityGate)
        {
            if (_retireOwed == 0)
            {
                return true;
            }

            _retireOwed--;
            _overflowCapacity--;
            return false;
        }
    }

    // How long until the bucket could pay for a new overflow slot; null without an open rate or with every slot in
    // existence. Capped so a very low rate still fits a timer; the waiter looks again when it fires.
    private TimeSpan? NextOpenIn()
    {
        if (_opens is null || Volatile.Read(ref _overflowCapacity) >= _overflowMax)
        {
            return null;
        }

        var wait = _opens.UntilNext();
        return wait < MinOpenWait ? MinOpenWait : wait > MaxOpenWait ? MaxOpenWait : wait;
    }

    // Both pools full, or the overflow pool's connections busy and its open rate spent: the first warm or overflow slot
    // that frees, or the next token, within the request's own timeout (its token).
    private async Task<SemaphoreSlim> WaitForEitherSlotAsync(bool throttled, CancellationToken cancellationToken)
    {
        (throttled ? _metrics.OverflowThrottled : _metrics.OverflowFull).Inc();
        while (true)
        {
            using var other = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var warm = _slots.WaitAsync(other.Token);
            var overflow = _overflowSlots.WaitAsync(other.Token);
            if (NextOpenIn() is { } refill)
            {
                await Task.WhenAny(warm, overflow, Task.Delay(refill, _time, other.Token)).ConfigureAwait(false);
            }
            else
            {
                await Task.WhenAny(warm, overflow).ConfigureAwait(false);
            }

            await other.CancelAsync().ConfigureAwait(false);
            var gotWarm = await AcquiredAsync(warm).ConfigureAwait(false);
            var gotOverflow = await AcquiredAsync(overflow).ConfigureAwait(false) && Keep();
            if (gotWarm)
            {
                if (gotOverflow)
                {
                    _overflowSlots.Release(); // both freed at once: keep the warm one
                }

                return _slots;
            }

            if (gotOverflow)
            {
                return _overflowSlots;
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (TryTakeOverflow(out _))
            {
                return _overflowSlots; // a token came (or a slot freed just now)
            }
        }
    }

    // The overflow pool's connect callback (with an open rate): the runtime's own connect, its stream counted.
    private async ValueTask<Stream> ConnectOverflowAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        Interlocked.Increment(ref _overflowConnections);
        _metrics.OverflowConnections.Inc();
        return new CountedStream(socket, this);
    }

    /// <summary>An overflow connection's socket stream that tells the handler once when it closes.</summary>
    private sealed class CountedStream(Socket socket, WarmPoolHandler owner) : NetworkStream(socket, ownsSocket: true)
    {
        private int _closed;

        protected override void Dispose(bool disposing)
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                Interlocked.Decrement(ref owner._overflowConnections);
                owner._metrics.OverflowConnections.Dec();
                owner.OnOverflowConnectionClosed();
            }

            base.Dispose(disposing);
        }
    }

    private static async Task<bool> AcquiredAsync(Task wait)
    {
        try
        {
            await wait.ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<bool> WaitForSlotAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_overflowAfter, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await _slots.WaitAsync(linked.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false; // waited long enough: overflow
        }
    }
}

/// <summary>The sizes of a <see cref="WarmPoolHandler"/>: its warm slots, how long a request waits for one before it
/// overflows, the overflow slots, and how fast new overflow connections may open (tokens a second, 0 = no limit; the
/// bucket's size).</summary>
internal readonly record struct WarmPoolSizes(int Warm, TimeSpan OverflowAfter, int Overflow, double OverflowOpenRate = 0, int OverflowOpenBurst = 1);

/// <summary>The counters of a <see cref="WarmPoolHandler"/> (<c>acgs_mtls_pool_*</c>).</summary>
internal sealed record WarmPoolMetrics(Counter Waits, Counter Overflows, Counter OverflowFull, Counter OverflowThrottled, Gauge OverflowConnections);
