// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using Acgs.Sidecar.ControlPlaneClient;
using Microsoft.Extensions.Time.Testing;

namespace Acgs.Sidecar.Tests.ControlPlaneClient;

/// <summary>The retry of the control-plane client: it waits the caller's backoff on the caller's clock.</summary>
public sealed class ControlPlaneResilienceTests
{
    private static TimeSpan Delay(int failures) => TimeSpan.FromSeconds(failures);

    [Fact]
    public async Task UntilAccepted_FalseThenTransientThenTrue_WaitsEachBackoffOnTheFakeClock()
    {
        var time = new FakeTimeProvider();
        var failures = new ConcurrentQueue<Exception?>();
        var pipeline = ControlPlaneResilience.UntilAccepted(time, Delay, failures.Enqueue);
        var attempts = new SemaphoreSlim(0);
        var attempt = 0;

        var run = pipeline.ExecuteAsync(_ =>
        {
            attempts.Release();
            return ++attempt switch
            {
                1 => ValueTask.FromResult(false),
                2 => throw new HttpRequestException("connection refused"),
                _ => ValueTask.FromResult(true),
            };
        }).AsTask();

        Assert.True(await attempts.WaitAsync(TimeSpan.FromSeconds(10)));
        time.Advance(Delay(1) - TimeSpan.FromMilliseconds(1));
        Assert.False(await attempts.WaitAsync(TimeSpan.FromMilliseconds(50)));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await attempts.WaitAsync(TimeSpan.FromSeconds(10)));
        time.Advance(Delay(2) - TimeSpan.FromMilliseconds(1));
        Assert.False(run.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(await run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(3, attempt);
        Assert.Equal([null, "connection refused"], failures.Select(f => f?.Message));
    }

    [Fact]
    public async Task UntilAccepted_UnexpectedException_NotRetried()
    {
        var pipeline = ControlPlaneResilience.UntilAccepted(new FakeTimeProvider(), Delay);
        var attempt = 0;

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await pipeline.ExecuteAsync<bool>(_ =>
        {
            attempt++;
            throw new InvalidOperationException("a bug, not a network failure");
        }));

        Assert.Equal(1, attempt);
    }

    [Fact]
    public async Task UntilAccepted_Cancelled_EndsWithoutAnotherAttempt()
    {
        var time = new FakeTimeProvider();
        using var stop = new CancellationTokenSource();
        var pipeline = ControlPlaneResilience.UntilAccepted(time, Delay);
        var attempt = 0;

        var run = pipeline.ExecuteAsync(_ => ValueTask.FromResult(++attempt > 5), stop.Token).AsTask();
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, attempt);
    }
}
