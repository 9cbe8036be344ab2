// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Resilience;

/// <summary>
/// A retry budget (Linkerd/Finagle style): over a sliding window, retries may add at most
/// <c>ratio</c> × requests, plus <c>minRetriesPerSecond</c> × window seconds so that clusters with
/// little traffic can still retry. The window is split into ten buckets of
/// <c>window / 10</c>; time comes from <see cref="TimeProvider"/>. Thread-safe through one short
/// lock per call (taken only for clusters with retries enabled); allocation-free.
/// </summary>
internal sealed class RetryBudget
{
    private const int BucketCount = 10;
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly long _bucketTicks;
    private readonly double _ratio;
    private readonly double _reserve;
    private readonly int[] _requests = new int[BucketCount];
    private readonly int[] _retries = new int[BucketCount];
    private long _epoch = -1;    // bucket epoch of the newest bucket
    private long _requestTotal;  // sums over the buckets inside the window
    private long _retryTotal;

    /// <summary>Creates an empty budget.</summary>
    public RetryBudget(double ratio, int minRetriesPerSecond, TimeSpan window, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ratio);
        ArgumentOutOfRangeException.ThrowIfNegative(minRetriesPerSecond);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.FromMilliseconds(BucketCount));
        ArgumentNullException.ThrowIfNull(timeProvider);
        _time = timeProvider;
        _ratio = ratio;
        _reserve = minRetriesPerSecond * window.TotalSeconds;
        _bucketTicks = Math.Max(1, (long)(window.TotalSeconds * timeProvider.TimestampFrequency / BucketCount));
        Ratio = ratio;
        MinRetriesPerSecond = minRetriesPerSecond;
        Window = window;
    }

    /// <summary>Retries allowed per request over the window.</summary>
    public double Ratio { get; }

    /// <summary>Retries per second allowed whatever the traffic.</summary>
    public int MinRetriesPerSecond { get; }

    /// <summary>The sliding window.</summary>
    public TimeSpan Window { get; }

    /// <summary>A budget for <paramref name="settings"/>.</summary>
    public static RetryBudget For(RetrySettings settings, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new(settings.BudgetRatio, settings.BudgetMinRetriesPerSecond, settings.BudgetWindow, timeProvider);
    }

    /// <summary>True when this budget was built from the same budget settings as <paramref name="settings"/>.</summary>
    public bool Matches(RetrySettings settings) =>
        settings.BudgetRatio.Equals(Ratio) && settings.BudgetMinRetriesPerSecond == MinRetriesPerSecond && settings.BudgetWindow == Window;

    /// <summary>Counts one request (a first attempt): it earns <c>ratio</c> retries.</summary>
    public void RecordRequest()
    {
        lock (_gate)
        {
            var index = Advance();
            _requests[index]++;
            _requestTotal++;
        }
    }

    /// <summary>Takes one retry from the budget; false when the budget is spent (do not retry).</summary>
    public bool TryWithdraw()
    {
        lock (_gate)
        {
            var index = Advance();
            if (_retryTotal + 1 > (_ratio * _requestTotal) + _reserve)
            {
                return false;
            }

            _retries[index]++;
            _retryTotal++;
            return true;
        }
    }

    /// <summary>Requests and retries counted in the current window (for tests and diagnostics).</summary>
    public (long Requests, long Retries) Snapshot()
    {
        lock (_gate)
        {
            Advance();
            return (_requestTotal, _retryTotal);
        }
    }

    // Caller holds _gate. Expires the buckets that left the window; returns the current bucket index.
    private int Advance()
    {
        var epoch = _time.GetTimestamp() / _bucketTicks;
        if (epoch != _epoch)
        {
            if (_epoch < 0 || epoch - _epoch >= BucketCount || epoch < _epoch)
            {
                Array.Clear(_requests);
                Array.Clear(_retries);
                _requestTotal = 0;
                _retryTotal = 0;
            }
            else
            {
                for (var e = _epoch + 1; e <= epoch; e++)
                {
                    var stale = (int)(e % BucketCount);
                    _requestTotal -= _requests[stale];
                    _retryTotal -= _retries[stale];
                    _requests[stale] = 0;
                    _retries[stale] = 0;
                }
            }

            _epoch = epoch;
        }

        return (int)(epoch % BucketCount);
    }
}
