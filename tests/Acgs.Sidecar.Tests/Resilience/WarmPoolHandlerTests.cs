// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using Acgs.Sidecar.Resilience;
using Prometheus;
using Xunit;

namespace Acgs.Sidecar.Tests.Resilience;

/// <summary>The warm pool's two bounds with stub pools: past the warm and the overflow slots a request waits for
/// whichever frees first, within its own token, and never reaches either pool meanwhile.</summary>
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
        {
            var factory = Metrics.WithCustomRegistry(Metrics.NewCustomRegistry());
            Waits = factory.CreateCounter("waits", "waits");
            Overflows = factory.CreateCounter("overflows", "overflows");
            OverflowFull = factory.CreateCounter("overflow_full", "overflow full");
            Handler = new WarmPoolHandler(Warm, Overflow, new WarmPoolSizes(1, TimeSpan.FromMilliseconds(1), 1), TimeProvider.System, Waits, Overflows, OverflowFull);
            Invoker = new HttpMessageInvoker(Handler);
        }

        public BlockingPool Warm { get; } = new();

        public BlockingPool Overflow { get; } = new();

        public Counter Waits { get; }

        public Counter Overflows { get; }

        public Counter OverflowFull { get; }

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
