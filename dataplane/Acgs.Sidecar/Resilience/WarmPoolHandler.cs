// Constitutional Hash: cdd01ef066bc6cf2

using Prometheus;

namespace Acgs.Sidecar.Resilience;

/// <summary>
/// Keeps an HTTP/1.1 mTLS hop on a bounded set of warm connections without capping its concurrency. The inner
/// handler's pool is bounded (<c>ACGS_MTLS_MAX_CONNECTIONS</c>); a request finds a slot at once while fewer than that
/// many are in flight, and otherwise waits for one for at most <c>ACGS_MTLS_OVERFLOW_AFTER_MS</c>; after that it goes
/// over an overflow pool of its own (unbounded, same TLS settings, its idle connections closed like any other). Bursts
/// shorter than the wait reuse the warm connections (no handshakes); long calls beyond the bound still proceed.
/// </summary>
/// <remarks>
/// The slot is held until the response headers arrive (or the request fails): on the sidecar's tracked path
/// (<see cref="UpstreamCall"/>) the call releases it when YARP completes it, so the common path allocates nothing;
/// other requests hold it in an async frame. While a response body is still being read, its connection is still
/// busy: a request that gets the freed slot meanwhile waits briefly inside the bounded pool, never opening a
/// connection beyond the bound.
/// </remarks>
internal sealed class WarmPoolHandler : DelegatingHandler
{
    private readonly SemaphoreSlim _slots;
    private readonly int _warm;
    private readonly HttpMessageInvoker _overflow;
    private readonly TimeSpan _overflowAfter;
    private readonly TimeProvider _time;
    private readonly Counter _waits;
    private readonly Counter _overflows;

    /// <summary>Creates the handler: <paramref name="warm"/> slots before <paramref name="inner"/>, the overflow pool behind.</summary>
    public WarmPoolHandler(HttpMessageHandler inner, HttpMessageHandler overflow, int warm, TimeSpan overflowAfter, TimeProvider time, Counter waits, Counter overflows)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(overflow);
        ArgumentOutOfRangeException.ThrowIfLessThan(warm, 1);
        _warm = warm;
        _slots = new SemaphoreSlim(warm, warm);
        _overflow = new HttpMessageInvoker(overflow, disposeHandler: true);
        _overflowAfter = overflowAfter;
        _time = time;
        _waits = waits;
        _overflows = overflows;
    }

    /// <summary>Requests holding a warm slot now (tests and diagnostics).</summary>
    public int InFlight => _warm - _slots.CurrentCount;

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

    private async Task<HttpResponseMessage> SendAfterWaitAsync(HttpRequestMessage request, UpstreamCall? call, CancellationToken cancellationToken)
    {
        _waits.Inc();
        if (await WaitForSlotAsync(cancellationToken).ConfigureAwait(false))
        {
            if (call is null)
            {
                return await SendHoldingAsync(request, cancellationToken).ConfigureAwait(false);
            }

            call.HoldSlot(_slots);
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        _overflows.Inc();
        return await _overflow.SendAsync(request, cancellationToken).ConfigureAwait(false);
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
