// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Core.CircuitBreaker;

/// <summary>
/// A circuit breaker with pybreaker's semantics (docs/resilience.md): consecutive failures, any
/// success resets the count, the <c>FailMax</c>-th consecutive failure opens it (that call already
/// fails as "open"), after <c>ResetTimeout</c> exactly one trial goes through, its success closes and
/// its failure re-opens with a fresh timer. Thread-safe; the closed-state success path takes no lock
/// and allocates nothing.
/// </summary>
public sealed class CircuitBreaker
{
    // _version packs the state, the half-open trial flag and the generation into one word, so a
    // single read (or compare-and-swap) sees all three consistently:
    //   bits 0-1 CircuitState, bit 2 trial in flight (half-open only), bits 3+ generation.
    // The generation is bumped on every transition; permits carry (generation | state) and a permit
    // from an earlier generation is ignored.
    private const long StateMask = 0b011;
    private const long TrialBit = 0b100;
    private const int GenerationShift = 3;

    private readonly Lock _gate = new();
    private readonly ICircuitBreakerListener[] _listeners;
    private readonly TimeProvider _time;
    private CircuitBreakerOptions _options;
    private long _version;            // see above; starts as generation 0, Closed, no trial
    private int _failures;            // consecutive failures in the current closed generation
    private long _openedAt;           // TimeProvider timestamp of the last opening
    private int _held;                // 1 while held open (chaos force-open): no trial goes through
    private long _heldUntilUtcTicks;  // when the hold is expected to end (Retry-After), long.MaxValue = unknown

    /// <summary>Creates a closed breaker.</summary>
    public CircuitBreaker(string name, CircuitBreakerOptions options, TimeProvider? timeProvider = null, IEnumerable<ICircuitBreakerListener>? listeners = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }

        Name = name;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _listeners = listeners is null ? [] : [.. listeners];
    }

    /// <summary>The upstream service (cluster) this breaker protects.</summary>
    public string Name { get; }

    /// <summary>The current settings.</summary>
    public CircuitBreakerOptions Options => Volatile.Read(ref _options);

    /// <summary>The current state. An open breaker whose timeout passed stays Open until a call arrives.</summary>
    public CircuitState State => (CircuitState)(Volatile.Read(ref _version) & StateMask);

    /// <summary>Consecutive failures counted so far in the closed state.</summary>
    public int ConsecutiveFailures => Volatile.Read(ref _failures);

    /// <summary>True while the breaker is held open (<see cref="HoldOpen"/>): it lets no trial through.</summary>
    public bool IsHeldOpen => Volatile.Read(ref _held) != 0;

    /// <summary>
    /// Time left before an open breaker lets a trial through (zero unless open). While held open with a
    /// known end (<see cref="HoldOpen"/>), the later of the reset timer and that end.
    /// </summary>
    public TimeSpan RetryAfter
    {
        get
        {
            if (State != CircuitState.Open)
            {
                return TimeSpan.Zero;
            }

            var left = Options.ResetTimeout - _time.GetElapsedTime(Volatile.Read(ref _openedAt));
            if (Volatile.Read(ref _held) != 0 && Volatile.Read(ref _heldUntilUtcTicks) is var until && until != long.MaxValue)
            {
                var held = TimeSpan.FromTicks(until - _time.GetUtcNow().UtcTicks);
                left = held > left ? held : left;
            }

            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <summary>Asks to make a call. A rejected permit means: fail fast, do not contact the upstream.</summary>
    public CircuitPermit TryAcquire()
    {
        while (true)
        {
            var version = Volatile.Read(ref _version);
            switch ((CircuitState)(version & StateMask))
            {
                case CircuitState.Closed:
                    return new CircuitPermit(isAllowed: true, isTrial: false, version);
                case CircuitState.HalfOpen:
                    if ((version & TrialBit) != 0)
                    {
                        return CircuitPermit.Rejected; // the one trial is already in flight
                    }

                    if (Interlocked.CompareExchange(ref _version, version | TrialBit, version) == version)
                    {
                        return new CircuitPermit(isAllowed: true, isTrial: true, version);
                    }

                    continue; // taken by another caller, or a transition: look again
                default:
                    return TryEnterHalfOpen();
            }
        }
    }

    /// <summary>
    /// Records how a permitted call ended. Returns true when this call tripped the breaker open
    /// (the caller should then fail it as "circuit open", as pybreaker does).
    /// </summary>
    public bool Record(in CircuitPermit permit, CircuitOutcome outcome)
    {
        if (!permit.IsAllowed || permit.Generation != (Volatile.Read(ref _version) & ~TrialBit))
        {
            return false; // rejected, or issued before a transition: it no longer speaks for this state
        }

        if (permit.IsTrial)
        {
            RecordTrial(permit, outcome);
            return false;
        }

        switch (outcome)
        {
            case CircuitOutcome.Success:
            case CircuitOutcome.Excluded:
                if (Volatile.Read(ref _failures) != 0)
                {
                    Interlocked.Exchange(ref _failures, 0);
                }

                return false;
            case CircuitOutcome.Failure:
                return Interlocked.Increment(ref _failures) >= Volatile.Read(ref _options).FailMax && TripFromClosed(permit.Generation);
            default:
                return false;
        }
    }

    /// <summary>Closes the breaker and clears its count (recovery, operator reset).</summary>
    public void Reset() => Transition(CircuitState.Closed, expectedGeneration: null);

    /// <summary>Opens the breaker now with a fresh timer (chaos: force-open).</summary>
    public void Isolate() => Transition(CircuitState.Open, expectedGeneration: null);

    /// <summary>
    /// Holds the breaker open (chaos force-open) until <see cref="ReleaseHold"/>: opens it now unless it is
    /// open already, and while held an open breaker lets no trial through whatever its reset timer says.
    /// <paramref name="untilUtc"/> (optional) is when the hold is expected to end; <see cref="RetryAfter"/>
    /// reports it. Returns a release token: non-zero when this call opened the breaker, 0 when it was open
    /// already (opened by real failures, or held), so that releasing it must not close it.
    /// </summary>
    public long HoldOpen(DateTimeOffset? untilUtc = null)
    {
        long token = 0;
        CircuitState from;
        lock (_gate)
        {
            Volatile.Write(ref _heldUntilUtcTicks, untilUtc?.UtcTicks ?? long.MaxValue);
            var wasHeld = Interlocked.Exchange(ref _held, 1) != 0;
            from = CurrentState;
            if (from == CircuitState.Open || wasHeld)
            {
                return 0;
            }

            token = SetState(CircuitState.Open);
        }

        Notify(from, CircuitState.Open);
        return token;
    }

    /// <summary>
    /// Ends a hold (<see cref="HoldOpen"/>). With the non-zero token of the hold that opened the breaker,
    /// and when nothing moved the breaker since (no reset, isolate or trial), the breaker closes; otherwise
    /// only the hold ends and an open breaker follows its own reset timer again (a breaker opened by real
    /// failures is never closed by a release).
    /// </summary>
    public void ReleaseHold(long token)
    {
        lock (_gate)
        {
            Volatile.Write(ref _held, 0);
            Volatile.Write(ref _heldUntilUtcTicks, long.MaxValue);
            if (token == 0 || (_version & ~TrialBit) != token)
            {
                return;
            }

            SetState(CircuitState.Closed);
        }

        Notify(CircuitState.Open, CircuitState.Closed);
    }

    /// <summary>Replaces the settings (a new config snapshot); the state is kept.</summary>
    public void UpdateOptions(CircuitBreakerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }

        Volatile.Write(ref _options, options);
    }

    private CircuitPermit TryEnterHalfOpen()
    {
        if (Volatile.Read(ref _held) != 0 || _time.GetElapsedTime(Volatile.Read(ref _openedAt)) < Options.ResetTimeout)
        {
            return CircuitPermit.Rejected;
        }

        long generation;
        lock (_gate)
        {
            if (CurrentState != CircuitState.Open || _held != 0 || _time.GetElapsedTime(_openedAt) < _options.ResetTimeout)
            {
                // Someone else moved it on; the half-open trial (if any) is theirs.
                return CircuitPermit.Rejected;
            }

            // This caller is the trial: the trial flag is published together with the new state.
            generation = SetState(CircuitState.HalfOpen, trialTaken: true);
        }

        Notify(CircuitState.Open, CircuitState.HalfOpen);
        return new CircuitPermit(isAllowed: true, isTrial: true, generation);
    }

    private void RecordTrial(in CircuitPermit permit, CircuitOutcome outcome)
    {
        switch (outcome)
        {
            case CircuitOutcome.Success:
            case CircuitOutcome.Excluded:
                Transition(CircuitState.Closed, permit.Generation);
                break;
            case CircuitOutcome.Failure:
                Transition(CircuitState.Open, permit.Generation);
                break;
            default:
                // Abandoned: the next caller gets the trial (unless a transition happened meanwhile).
                Interlocked.CompareExchange(ref _version, permit.Generation, permit.Generation | TrialBit);
                break;
        }
    }

    private bool TripFromClosed(long generation)
    {
        lock (_gate)
        {
            if ((_version & ~TrialBit) != generation || CurrentState != CircuitState.Closed)
            {
                return false; // another failing call already tripped it
            }

            SetState(CircuitState.Open);
        }

        Notify(CircuitState.Closed, CircuitState.Open);
        return true;
    }

    private void Transition(CircuitState to, long? expectedGeneration)
    {
        CircuitState from;
        lock (_gate)
        {
            if (expectedGeneration is { } expected && (_version & ~TrialBit) != expected)
            {
                return;
            }

            from = CurrentState;
            if (from == to && to != CircuitState.Open)
            {
                _failures = 0;
                return;
            }

            SetState(to);
        }

        if (from != to)
        {
            Notify(from, to);
        }
    }

    private CircuitState CurrentState => (CircuitState)(Volatile.Read(ref _version) & StateMask);

    // Caller holds _gate. Returns the new (generation | state), the value permits of this state carry.
    private long SetState(CircuitState to, bool trialTaken = false)
    {
        if (to == CircuitState.Open)
        {
            Volatile.Write(ref _openedAt, _time.GetTimestamp());
        }

        _failures = 0;
        // Only the trial flag changes outside the lock, so the generation read here is current; the
        // exchange makes any in-flight compare-and-swap of the old version fail.
        var generation = ((Volatile.Read(ref _version) >> GenerationShift) + 1) << GenerationShift;
        var version = generation | (long)to;
        Interlocked.Exchange(ref _version, trialTaken ? version | TrialBit : version);
        return version;
    }

    private void Notify(CircuitState from, CircuitState to)
    {
        foreach (var listener in _listeners)
        {
            try
            {
                listener.OnStateChanged(this, from, to);
            }
#pragma warning disable CA1031 // A faulty listener must not break the breaker or the call path.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }
}
