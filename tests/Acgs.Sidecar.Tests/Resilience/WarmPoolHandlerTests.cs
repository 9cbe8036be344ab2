// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using Acgs.Sidecar.Resilience;
using Microsoft.Extensions.Time.Testing;
using Prometheus;
using Xunit;

namespace Acgs.Sidecar.Tests.Resilience;

/// <summary>The warm pool's two bounds with stub pools: past the warm and the overflow slots a request waits for
/// whichever frees first, within its own token, and never reaches either pool meanwhile; with an open rate (a token
/// bucket on <see cref="FakeTimeProvider"/>) the overflow pool grows only by the tokens spent, and a closed overflow
/// connection's slot goes away.</summary>
public sealed class WarmPoolHandlerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task SendAsync_BothPoolsFull_WaitsUntilOwnTokenCancels_ReachesNeitherPool()
    {
        using var pools = new Pools();
        var first = pools.SendAsync(CancellationToken.None); // warm
        await pools.Warm.WaitForCallsAsync(1);
        var second = pools.SendAsync(CancellationToken.None); // overflow after the wait
        await pools.Overflow.WaitForCallsAsync(1);
        using var timeout = new CancellationTokenSource();

        var third = pools.SendAsync(timeout.Token);
        await WaitUntilAsync(() => pools.OverflowFull.Value == 1);
        await timeout.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => third);
        Assert.Equal(1, pools.Warm.Calls);
        Assert.Equal(1, pools.Overflow.Calls);
        Assert.Equal(1, pools.Handler.InFlight); // the cancelled waiter holds no slot
        Assert.Equal(1, pools.Handler.OverflowInFlight);
        pools.Warm.Release();
        pools.Overflow.Release();
        (await first).Dispose();
        (await second).Dispose();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SendAsync_BothPoolsFull_TakesWhicheverSlotFreesFirst(bool warmFreesFirst)
    {
        using var pools = new Pools();
        var first = pools.SendAsync(CancellationToken.None);
        await pools.Warm.WaitForCallsAsync(1);
        var second = pools.SendAsync(CancellationToken.None);
        await pools.Overflow.WaitForCallsAsync(1);
        var third = pools.SendAsync(CancellationToken.None);
        await WaitUntilAsync(() => pools.OverflowFull.Value == 1);

        (warmFreesFirst ? pools.Warm : pools.Overflow).Release();
        (await (warmFreesFirst ? first : second)).Dispose();
        await (warmFreesFirst ? pools.Warm : pools.Overflow).WaitForCallsAsync(2);

        Assert.Equal(warmFreesFirst ? 2 : 1, pools.Warm.Calls);
        Assert.Equal(warmFreesFirst ? 1 : 2, pools.Overflow.Calls);
        Assert.Equal(warmFreesFirst ? 1 : 2, pools.Overflows.Value);
        pools.Warm.Release();
        pools.Overflow.Release();
        (await (warmFreesFirst ? second : first)).Dispose();
        (await third).Dispose();
        Assert.Equal(0, pools.Handler.InFlight); // every slot given back
        Assert.Equal(0, pools.Handler.OverflowInFlight);
    }

    // One warm slot, overflow after 1 ms (fake time), up to 4 overflow slots, a bucket of 1 refilling every 100 s.
    private static Pools RateLimited(FakeTimeProvider time) => new(new WarmPoolSizes(1, TimeSpan.FromMilliseconds(1), 4, 0.01, 1), time);

    // The first request holds the warm slot, the second waits, overflows and spends the bucket's one token.
    private static async Task<(Task<HttpResponseMessage> Warm, Task<HttpResponseMessage> Overflow)> WarmAndOneOverflowAsync(Pools pools, FakeTimeProvider time)
    {
        var warm = pools.SendAsync(CancellationToken.None);
        await pools.Warm.WaitForCallsAsync(1);
        var overflow = pools.SendAsync(CancellationToken.None);
        await AdvanceUntilAsync(time, () => pools.Overflow.Calls == 1);
        Assert.Equal(1, pools.Handler.OverflowCapacity);
        return (warm, overflow);
    }

    [Fact]
    public async Task SendAsync_OverflowConnectionsBusyAndOpenRateSpent_WaitsInsteadOfOpening_TakesFreedOverflowSlot()
    {
        var time = new FakeTimeProvider();
        using var pools = RateLimited(time);
        var (first, second) = await WarmAndOneOverflowAsync(pools, time);

        var third = pools.SendAsync(CancellationToken.None);
        await AdvanceUntilAsync(time, () => pools.Throttled.Value == 1);
        await Task.Delay(50); // would reach the overflow pool now if it did not wait

        Assert.Equal(1, pools.Overflow.Calls); // no second overflow connection: the bucket is empty
        Assert.Equal(0, pools.OverflowFull.Value);
        pools.Overflow.Release();
        (await second).Dispose();
        await pools.Overflow.WaitForCallsAsync(2); // the freed overflow slot: the same connection
        Assert.Equal(1, pools.Handler.OverflowCapacity);
        pools.Overflow.Release();
        pools.Warm.Release();
        (await third).Dispose();
        (await first).Dispose();
        Assert.Equal(0, pools.Handler.InFlight);
        Assert.Equal(0, pools.Handler.OverflowInFlight);
    }

    [Fact]
    public async Task SendAsync_ThrottledWaiter_NextToken_OpensOneMoreOverflowSlot()
    {
        var time = new FakeTimeProvider();
        using var pools = RateLimited(time);
        var (first, second) = await WarmAndOneOverflowAsync(pools, time);
        var third = pools.SendAsync(CancellationToken.None);
        await AdvanceUntilAsync(time, () => pools.Throttled.Value == 1);

        time.Advance(TimeSpan.FromSeconds(100)); // one token
        await pools.Overflow.WaitForCallsAsync(2);

        Assert.Equal(2, pools.Handler.OverflowCapacity);
        Assert.Equal(2, pools.Handler.OverflowInFlight);
        pools.Overflow.Release();
        pools.Overflow.Release();
        pools.Warm.Release();
        (await first).Dispose();
        (await second).Dispose();
        (await third).Dispose();
    }

    [Theory]
    [InlineData(false)] // closed while idle: its slot goes at once
    [InlineData(true)] // closed while every slot is held: the slot goes when it is next taken
    public async Task OnOverflowConnectionClosed_OpenRate_SlotGoes_ReopeningCostsToken(bool closedWhileHeld)
    {
        var time = new FakeTimeProvider();
        using var pools = RateLimited(time);
        var (first, second) = await WarmAndOneOverflowAsync(pools, time);
        if (!closedWhileHeld)
        {
            pools.Overflow.Release();
            (await second).Dispose();
        }

        pools.Handler.OnOverflowConnectionClosed();
        if (closedWhileHeld)
        {
            pools.Overflow.Release();
            (await second).Dispose();
        }

        Assert.Equal(0, pools.Handler.OverflowCapacity);
        var third = pools.SendAsync(CancellationToken.None);
        await AdvanceUntilAsync(time, () => pools.Throttled.Value == 1); // no free slot left: the bucket is empty
        Assert.Equal(1, pools.Overflow.Calls);
        Assert.Equal(0, pools.Handler.OverflowInFlight);
        pools.Warm.Release();
        (await first).Dispose();
        await pools.Warm.WaitForCallsAsync(2);
        pools.Warm.Release();
        (await third).Dispose();
        Assert.Equal(0, pools.Handler.OverflowCapacity);
    }

    [Fact]
    public async Task OnOverflowConnectionClosed_NoOpenRate_EveryOverflowSlotStays()
    {
        using var pools = new Pools();

        pools.Handler.OnOverflowConnectionClosed();

        Assert.Equal(1, pools.Handler.OverflowCapacity);
        var first = pools.SendAsync(CancellationToken.None);
        await pools.Warm.WaitForCallsAsync(1);
        var second = pools.SendAsync(CancellationToken.None);
        await pools.Overflow.WaitForCallsAsync(1);
        Assert.Equal(0, pools.Throttled.Value);
        pools.Warm.Release();
        pools.Overflow.Release();
        (await first).Dispose();
        (await second).Dispose();
    }

    // Advances fake time in the warm wait's steps until the condition holds (the waiter's timer may not exist yet).
    private static async Task AdvanceUntilAsync(FakeTimeProvider time, Func<bool> condition)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < Patience, "condition not reached");
            time.Advance(TimeSpan.FromMilliseconds(1));
            await Task.Delay(10);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < Patience, "condition not reached");
            await Task.Delay(10);
        }
    }

    private sealed class Pools : IDisposable
    {
        public Pools()
            : this(new WarmPoolSizes(1, TimeSpan.FromMilliseconds(1), 1), TimeProvider.System)
        {
        }

        public Pools(WarmPoolSizes sizes, TimeProvider time)
        {
            var factory = Metrics.WithCustomRegistry(Metrics.NewCustomRegistry());
            Waits = factory.CreateCounter("waits", "waits");
            Overflows = factory.CreateCounter("overflows", "overflows");
            OverflowFull = factory.CreateCounter("overflow_full", "overflow full");
            Throttled = factory.CreateCounter("overflow_throttled", "overflow throttled");
            Handler = new WarmPoolHandler(Warm, Overflow, sizes, time,
                new WarmPoolMetrics(Waits, Overflows, OverflowFull, Throttled, factory.CreateGauge("overflow_connections", "overflow connections")));
            Invoker = new HttpMessageInvoker(Handler);
        }

        public BlockingPool Warm { get; } = new();

        public BlockingPool Overflow { get; } = new();

        public Counter Waits { get; }

        public Counter Overflows { get; }

        public Counter OverflowFull { get; }

        public Counter Throttled { get; }

        public WarmPoolHandler Handler { get; }

        public HttpMessageInvoker Invoker { get; }

        public async Task<HttpResponseMessage> SendAsync(CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1/");
            return await Invoker.SendAsync(request, cancellationToken);
        }

        public void Dispose() => Invoker.Dispose();
    }

    /// <summary>A pool whose every call waits until <see cref="Release"/> answers the oldest one.</summary>
    private sealed class BlockingPool : HttpMessageHandler
    {
        private readonly ConcurrentQueue<TaskCompletionSource<HttpResponseMessage>> _pending = new();
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task WaitForCallsAsync(int calls) => WaitUntilAsync(() => Calls >= calls);

        public void Release()
        {
            Assert.True(_pending.TryDequeue(out var call));
            call.SetResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK));
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var call = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pending.Enqueue(call);
            Interlocked.Increment(ref _calls);
            return call.Task;
        }
    }
}
