// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.LoadTest.Running;

/// <summary>How the runner paces and when it declares a run invalid.</summary>
public sealed record RunOptions
{
    /// <summary>The generator must dispatch at least this share of the open model's target rate,
    /// otherwise the run is invalid (exit code 2). Default 0.99.</summary>
    public double MinSendRateRatio { get; init; } = 0.99;

    /// <summary>P99 of the generator's own dispatch lag above this makes the run invalid. Default 5 ms.</summary>
    public TimeSpan MaxSchedulerLagP99 { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>How long to wait for in-flight requests after the last phase. Default 30 s.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The pacer busy-spins when the next start is closer than this. Default 10 µs.</summary>
    public TimeSpan SpinWindow { get; init; } = TimeSpan.FromMicroseconds(10);

    /// <summary>The pacer sleeps (sub-millisecond, timer slack 1 ns on Linux) when the next start is
    /// further than this, and yields in between. Default 80 µs: at 6,000 req/s (166 µs apart) the
    /// pacer sleeps most of the interval instead of burning one of the machine's cores.</summary>
    public TimeSpan SleepThreshold { get; init; } = TimeSpan.FromMicroseconds(80);

    /// <summary>Wakes this long before the intended start when sleeping. Default 50 µs.</summary>
    public TimeSpan SleepMargin { get; init; } = TimeSpan.FromMicroseconds(50);

    /// <summary>When true the pacer thread starts each open-model request itself (the step's
    /// synchronous part, e.g. writing the request to a socket, runs on the pacer; completions run
    /// where the I/O completes), like wrk2's event loop: no thread hop per request, less CPU and lag.
    /// A step that blocks then delays the pacer, which shows as scheduler lag (an invalid run).
    /// Default false: each request is handed to the thread pool.</summary>
    public bool InlineDispatch { get; init; }

    /// <summary>Nice value for the pacer thread (Linux; needs privilege for negative values, ignored
    /// when refused), so that a busy machine delays the schedule less. Default null: unchanged.</summary>
    public int? PacerNice { get; init; }

    /// <summary>Lists every configuration error at once (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MinSendRateRatio is <= 0 or > 1)
        {
            errors.Add("MinSendRateRatio must be in (0, 1]");
        }

        if (MaxSchedulerLagP99 <= TimeSpan.Zero)
        {
            errors.Add("MaxSchedulerLagP99 must be positive");
        }

        if (DrainTimeout <= TimeSpan.Zero)
        {
            errors.Add("DrainTimeout must be positive");
        }

        if (SpinWindow < TimeSpan.Zero || SleepThreshold < SpinWindow || SleepMargin < TimeSpan.Zero || SleepMargin > SleepThreshold)
        {
            errors.Add("pacer windows must satisfy 0 <= SpinWindow <= SleepThreshold and 0 <= SleepMargin <= SleepThreshold");
        }

        return errors;
    }
}
