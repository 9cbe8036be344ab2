// Constitutional Hash: cdd01ef066bc6cf2

using System.Runtime.CompilerServices;
using Microsoft.Extensions.Time.Testing;

namespace Acgs.Testing;

/// <summary>
/// Waits for something to happen, instead of sleeping: polls a condition every
/// <see cref="PollInterval"/> until it holds or <see cref="DefaultTimeout"/> (or the given timeout)
/// passes. The one polling helper of the test projects; a test that can wait for a signal (a task, a
/// <see cref="TaskCompletionSource"/>, fake time) should do that instead.
/// </summary>
public static class Eventually
{
    /// <summary>How long a condition gets unless told otherwise: generous, the machine may be loaded.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    /// <summary>The time between two checks.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Completes once <paramref name="condition"/> is true; throws <see cref="TimeoutException"/> naming
    /// <paramref name="what"/> (by default the condition's source text) when it stays false.
    /// </summary>
    public static Task TrueAsync(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string what = "", TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return TrueAsync(() => Task.FromResult(condition()), what, timeout);
    }

    /// <summary>As <see cref="TrueAsync(Func{bool}, string, TimeSpan?)"/> for an asynchronous condition.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, [CallerArgumentExpression(nameof(condition))] string what = "", TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var (met, _) = await PollAsync(async () => await condition().ConfigureAwait(false), static met => met, timeout).ConfigureAwait(false);
        if (!met)
        {
            throw new TimeoutException($"not within {(timeout ?? DefaultTimeout).TotalSeconds:0.#} s: {what}");
        }
    }

    /// <summary>
    /// Reads <paramref name="read"/> until <paramref name="accept"/> holds for its value and returns that
    /// value; when time runs out, returns the last value read (so the caller's assertion shows it).
    /// </summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> accept, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(accept);
        var (_, last) = await PollAsync(read, accept, timeout).ConfigureAwait(false);
        return last;
    }

    /// <summary>As <see cref="ValueAsync{T}(Func{Task{T}}, Func{T, bool}, TimeSpan?)"/> for a synchronous read.</summary>
    public static Task<T> ValueAsync<T>(Func<T> read, Func<T, bool> accept, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(read);
        return ValueAsync(() => Task.FromResult(read()), accept, timeout);
    }

    /// <summary>
    /// Advances <paramref name="time"/> by <paramref name="step"/> at every poll until
    /// <paramref name="condition"/> holds, and returns how far it advanced: for code that arms a timer
    /// on the <see cref="TimeProvider"/> at a moment the test cannot observe (advancing once could come
    /// before the timer exists). Throws <see cref="TimeoutException"/> as <see cref="TrueAsync(Func{bool}, string, TimeSpan?)"/> does.
    /// </summary>
    public static async Task<TimeSpan> AdvanceUntilAsync(
        FakeTimeProvider time, TimeSpan step, Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string what = "", TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(condition);
        var advanced = TimeSpan.Zero;
        await TrueAsync(
            () =>
            {
                if (condition())
                {
                    return true;
                }

                time.Advance(step);
                advanced += step;
                return false;
            },
            what,
            timeout).ConfigureAwait(false);
        return advanced;
    }

    private static async Task<(bool Met, T Last)> PollAsync<T>(Func<Task<T>> read, Func<T, bool> accept, TimeSpan? timeout)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)((timeout ?? DefaultTimeout).TotalSeconds * TimeProvider.System.TimestampFrequency);
        using var timer = new PeriodicTimer(PollInterval);
        while (true)
        {
            var value = await read().ConfigureAwait(false);
            if (accept(value))
            {
                return (true, value);
            }

            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                return (false, value);
            }

            await timer.WaitForNextTickAsync().ConfigureAwait(false);
        }
    }
}
