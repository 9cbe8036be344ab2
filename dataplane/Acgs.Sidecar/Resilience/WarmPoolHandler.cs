// Constitutional Hash: cdd01ef066bc6cf2

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
/// still proceed.
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
    private readonly SemaphoreSlim _slots;
    private readonly int _warm;
    private readonly HttpMessageInvoker _overflow;
    private readonly SemaphoreSlim _overflowSlots;
    private readonly int _overflowMax;
    private readonly TimeSpan _overflowAfter;
    private readonly TimeProvider _time;
    private readonly Counter _waits;
    private readonly Counter _overflows;
    private readonly Counter _overflowFull;

    /// <summary>Creates the handler: <paramref name="pools"/>' warm slots before <paramref name="inner"/>, its overflow
    /// slots before <paramref name="overflow"/> (whose own connection limit should be the same).</summary>
    public WarmPoolHandler(HttpMessageHandler inner, HttpMessageHandler overflow, WarmPoolSizes pools, TimeProvider time, Counter waits, Counter overflows, Counter overflowFull)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(overflow);
        ArgumentOutOfRangeException.ThrowIfLessThan(pools.Warm, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pools.Overflow, 1);
        _warm = pools.Warm;
        _slots = new SemaphoreSlim(pools.Warm, pools.Warm);
        _overflow = new HttpMessageInvoker(overflow, disposeHandler: true);
        _overflowMax = pools.Overflow;
        _overflowSlots = new SemaphoreSlim(pools.Overflow, pools.Overflow);
        _overflowAfter = pools.OverflowAfter;
        _time = time;
        _waits = waits;
        _overflows = overflows;
        _overflowFull = overflowFull;
    }

    /// <summary>Requests holding a warm slot now (tests and diagnostics).</summary>
    public int InFlight => _warm - _slots.CurrentCount;

    /// <summary>Requests holding an overflow slot now (tests and diagnostics).</summary>
    public int OverflowInFlight => _overflowMax - _overflowSlots.CurrentCount;

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
        _waits.Inc();
        var slot = await WaitForSlotAsync(cancellationToken).ConfigureAwait(false) ? _slots
            : _overflowSlots.Wait(0, CancellationToken.None) ? _overflowSlots
            : await WaitForEitherSlotAsync(cancellationToken).ConfigureAwait(false);
        if (ReferenceEquals(slot, _slots))
        {
            if (call is null)
            {
                return await SendHoldingAsync(request, cancellationToken).ConfigureAwait(false);
            }

            call.HoldSlot(_slots);
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        _overflows.Inc();
        if (call is null)
        {
            return await SendOverflowHoldingAsync(request, cancellationToken).ConfigureAwait(false);
        }

        call.HoldSlot(_overflowSlots);
        return await _overflow.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    // Both pools full: the first slot either frees, within the request's own timeout (its token); never a new connection.
    private async Task<SemaphoreSlim> WaitForEitherSlotAsync(CancellationToken cancellationToken)
    {
        _overflowFull.Inc();
        using var other = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var warm = _slots.WaitAsync(other.Token);
        var overflow = _overflowSlots.WaitAsync(other.Token);
        await Task.WhenAny(warm, overflow).ConfigureAwait(false);
        await other.CancelAsync().ConfigureAwait(false);
        var gotWarm = await AcquiredAsync(warm).ConfigureAwait(false);
        var gotOverflow = await AcquiredAsync(overflow).ConfigureAwait(false);
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
        throw new OperationCanceledException(cancellationToken); // not reached: only the request's token cancels both
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
/// overflows, and the overflow slots.</summary>
internal readonly record struct WarmPoolSizes(int Warm, TimeSpan OverflowAfter, int Overflow);
