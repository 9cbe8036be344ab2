// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.Redis;
using Acgs.Testing;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Acgs.Core.Tests.Redis;

public sealed class RedisHealthTrackerTests
{
    private static readonly Func<CancellationToken, ValueTask> Succeeds = _ => ValueTask.CompletedTask;

    private static (RedisHealthTracker Tracker, List<RedisHealthChangedEventArgs> Changes) Create(
        Func<CancellationToken, ValueTask>? probe = null,
        RedisHealthTrackerOptions? options = null,
        TimeProvider? time = null)
    {
        var tracker = new RedisHealthTracker(probe ?? Succeeds, options, time ?? new FakeTimeProvider());
        var changes = new List<RedisHealthChangedEventArgs>();
        tracker.HealthChanged += (_, e) =>
        {
            lock (changes)
            {
                changes.Add(e);
            }
        };
        return (tracker, changes);
    }

    [Fact]
    public void New_IsHealthyWithNoFailures()
    {
        var (tracker, changes) = Create();

        Assert.True(tracker.IsHealthy);
        Assert.Equal(0, tracker.ConsecutiveFailures);
        Assert.Null(tracker.LastCheckedAt);
        Assert.Empty(changes);
    }

    [Fact]
    public void RecordPing_TwoFailures_StaysHealthy()
    {
        var (tracker, changes) = Create();

        tracker.RecordPing(false);
        tracker.RecordPing(false);

        Assert.True(tracker.IsHealthy);
        Assert.Equal(2, tracker.ConsecutiveFailures);
        Assert.Empty(changes);
    }

    [Fact]
    public void RecordPing_ThirdConsecutiveFailure_BecomesUnhealthyOnce()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var (tracker, changes) = Create(time: time);

        tracker.RecordPing(false);
        tracker.RecordPing(false);
        tracker.RecordPing(false);
        tracker.RecordPing(false);
        tracker.RecordPing(false);

        Assert.False(tracker.IsHealthy);
        Assert.Equal(5, tracker.ConsecutiveFailures);
        var change = Assert.Single(changes);
        Assert.False(change.IsHealthy);
        Assert.Equal(3, change.ConsecutiveFailures);
        Assert.Equal(time.GetUtcNow(), change.ChangedAt);
    }

    [Fact]
    public void RecordPing_SuccessBetweenFailures_ResetsCount()
    {
        var (tracker, changes) = Create();

        tracker.RecordPing(false);
        tracker.RecordPing(false);
        tracker.RecordPing(true);
        tracker.RecordPing(false);
        tracker.RecordPing(false);

        Assert.True(tracker.IsHealthy);
        Assert.Equal(2, tracker.ConsecutiveFailures);
        Assert.Empty(changes);
    }

    [Fact]
    public void RecordPing_OneSuccessWhenUnhealthy_BecomesHealthyOnce()
    {
        var (tracker, changes) = Create();
        for (var i = 0; i < 3; i++)
        {
            tracker.RecordPing(false);
        }

        tracker.RecordPing(true);
        tracker.RecordPing(true);

        Assert.True(tracker.IsHealthy);
        Assert.Equal(0, tracker.ConsecutiveFailures);
        Assert.Equal([false, true], changes.Select(c => c.IsHealthy));
        Assert.Equal(0, changes[1].ConsecutiveFailures);
    }

    [Fact]
    public void RecordPing_CustomThreshold_IsHonoured()
    {
        var (tracker, changes) = Create(options: new RedisHealthTrackerOptions { FailureThreshold = 1 });

        tracker.RecordPing(false);

        Assert.False(tracker.IsHealthy);
        Assert.Single(changes);
    }

    [Fact]
    public async Task RecordPing_ConcurrentFailures_NotifyExactlyOnce()
    {
        var (tracker, changes) = Create();
        using var start = new ManualResetEventSlim();

        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            start.Wait();
            for (var i = 0; i < 1_000; i++)
            {
                tracker.RecordPing(false);
            }
        })).ToArray();
        start.Set();
        await Task.WhenAll(workers);

        Assert.False(tracker.IsHealthy);
        Assert.Equal(8_000, tracker.ConsecutiveFailures);
        Assert.Single(changes);
    }

    [Fact]
    public void HealthChanged_ThrowingListener_DoesNotStopOthers()
    {
        var (tracker, changes) = Create();
        tracker.HealthChanged += (_, _) => throw new InvalidOperationException("listener bug");
        var after = 0;
        tracker.HealthChanged += (_, _) => after++;

        for (var i = 0; i < 3; i++)
        {
            tracker.RecordPing(false);
        }

        Assert.False(tracker.IsHealthy);
        Assert.Single(changes);
        Assert.Equal(1, after);
    }

    [Fact]
    public async Task CheckOnceAsync_ProbeThrows_CountsFailureAndKeepsError()
    {
        var (tracker, _) = Create(_ => throw new InvalidOperationException("connection refused"));

        var ok = await tracker.CheckOnceAsync();

        Assert.False(ok);
        Assert.Equal(1, tracker.ConsecutiveFailures);
        Assert.Equal("InvalidOperationException: connection refused", tracker.LastError);
    }

    [Fact]
    public async Task CheckOnceAsync_ProbeFaultsAsynchronously_CountsFailure()
    {
        var (tracker, _) = Create(async _ =>
        {
            await Task.Yield();
            throw new IOException("reset");
        });

        Assert.False(await tracker.CheckOnceAsync());
        Assert.Equal(1, tracker.ConsecutiveFailures);
    }

    [Fact]
    public async Task CheckOnceAsync_ProbeSucceeds_ResetsFailures()
    {
        var fail = true;
        var (tracker, changes) = Create(_ => fail ? throw new IOException("down") : ValueTask.CompletedTask);
        for (var i = 0; i < 3; i++)
        {
            Assert.False(await tracker.CheckOnceAsync());
        }

        fail = false;
        Assert.True(await tracker.CheckOnceAsync());

        Assert.True(tracker.IsHealthy);
        Assert.Null(tracker.LastError);
        Assert.Equal([false, true], changes.Select(c => c.IsHealthy));
    }

    [Fact]
    public async Task CheckOnceAsync_ProbeNeverAnswers_FailsAfterPingTimeout()
    {
        var time = new FakeTimeProvider();
        var never = new TaskCompletionSource();
        var (tracker, _) = Create(_ => new ValueTask(never.Task), new RedisHealthTrackerOptions { PingTimeout = TimeSpan.FromSeconds(2) }, time);

        var check = tracker.CheckOnceAsync().AsTask();
        Assert.False(check.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.False(await check);
        Assert.Equal(1, tracker.ConsecutiveFailures);
        Assert.StartsWith(nameof(TimeoutException), tracker.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckOnceAsync_Cancelled_RecordsNothing()
    {
        var (tracker, _) = Create(ct => new ValueTask(Task.Delay(Timeout.Infinite, ct)), time: TimeProvider.System);
        using var cts = new CancellationTokenSource();

        var check = tracker.CheckOnceAsync(cts.Token).AsTask();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => check);
        Assert.Equal(0, tracker.ConsecutiveFailures);
        Assert.Null(tracker.LastCheckedAt);
    }

    [Fact]
    public async Task Start_PingsAtOnceAndEveryInterval()
    {
        var time = new FakeTimeProvider();
        var pings = 0;
        var (tracker, _) = Create(
            _ =>
            {
                Interlocked.Increment(ref pings);
                return ValueTask.CompletedTask;
            },
            new RedisHealthTrackerOptions { Interval = TimeSpan.FromSeconds(5) },
            time);
        await using (tracker)
        {
            tracker.Start();
            tracker.Start();
            await Eventually.TrueAsync(() => Volatile.Read(ref pings) == 1);

            time.Advance(TimeSpan.FromSeconds(5));
            await Eventually.TrueAsync(() => Volatile.Read(ref pings) == 2);
            time.Advance(TimeSpan.FromSeconds(5));
            await Eventually.TrueAsync(() => Volatile.Read(ref pings) == 3);
        }

        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(3, Volatile.Read(ref pings));
        Assert.Throws<ObjectDisposedException>(tracker.Start);
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryError()
    {
        var ex = Assert.Throws<ArgumentException>(() => new RedisHealthTracker(
            Succeeds,
            new RedisHealthTrackerOptions { Interval = TimeSpan.Zero, PingTimeout = TimeSpan.FromSeconds(-1), FailureThreshold = 0 }));

        Assert.Contains("interval", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ping timeout", ex.Message, StringComparison.Ordinal);
        Assert.Contains("failure threshold", ex.Message, StringComparison.Ordinal);
    }
}
