// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.CircuitBreaker;
using Polly;
using BrokenCircuitException = Polly.CircuitBreaker.BrokenCircuitException;

namespace Acgs.Core.Tests.CircuitBreaker;

/// <summary>The Polly v8 strategy added by <c>AddAcgsCircuitBreaker</c>.</summary>
public sealed class AcgsCircuitBreakerStrategyTests
{
    private int _invocations;

    [Fact]
    public async Task ExecuteAsync_Closed_InvokesCallbackAndReturnsResult()
    {
        var f = new BreakerFixture();
        f.Call(CircuitOutcome.Failure);
        var pipeline = Build(f);

        var result = await pipeline.ExecuteAsync(Return(200), CancellationToken.None);

        Assert.Equal(200, result);
        Assert.Equal(1, _invocations);
        Assert.Equal(0, f.Breaker.ConsecutiveFailures);
    }

    [Fact]
    public async Task ExecuteAsync_Open_DoesNotInvokeCallbackAndThrowsBrokenCircuitWithRetryAfter()
    {
        var f = new BreakerFixture();
        f.Breaker.Isolate();
        f.Time.Advance(TimeSpan.FromSeconds(4));
        var pipeline = Build(f);

        var ex = await Assert.ThrowsAsync<BrokenCircuitException>(async () =>
            await pipeline.ExecuteAsync(Return(200), CancellationToken.None));

        Assert.Equal(0, _invocations);
        Assert.Equal(TimeSpan.FromSeconds(6), ex.RetryAfter);
        Assert.Contains(AcgsConstants.LogPrefix, ex.Message, StringComparison.Ordinal);
        Assert.Contains("upstream", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_TrippingCall_FailsAsBrokenCircuit()
    {
        var f = new BreakerFixture(failMax: 2);
        var pipeline = Build(f);

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await pipeline.ExecuteAsync(Throw(new InvalidOperationException()), CancellationToken.None));
        var ex = await Assert.ThrowsAsync<BrokenCircuitException>(async () =>
            await pipeline.ExecuteAsync(Throw(new InvalidOperationException()), CancellationToken.None));

        Assert.Equal(2, _invocations);
        Assert.Equal(CircuitState.Open, f.Breaker.State);
        Assert.Equal(BreakerFixture.ResetTimeout, ex.RetryAfter);
    }

    [Fact]
    public async Task ExecuteAsync_OperationCanceled_CountsAsAbandoned()
    {
        var f = new BreakerFixture(failMax: 1);
        var pipeline = Build(f);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await pipeline.ExecuteAsync(Throw(new OperationCanceledException()), CancellationToken.None));

        Assert.Equal(CircuitState.Closed, f.Breaker.State);
        Assert.Equal(0, f.Breaker.ConsecutiveFailures);
    }

    [Fact]
    public async Task ExecuteAsync_CanceledTrial_ReleasesTrialSlot()
    {
        var f = new BreakerFixture(failMax: 1);
        var pipeline = Build(f);
        f.Breaker.Isolate();
        f.Time.Advance(BreakerFixture.ResetTimeout);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await pipeline.ExecuteAsync(Throw(new TaskCanceledException()), CancellationToken.None));
        Assert.Equal(CircuitState.HalfOpen, f.Breaker.State);
        var result = await pipeline.ExecuteAsync(Return(7), CancellationToken.None);

        Assert.Equal(7, result);
        Assert.Equal(CircuitState.Closed, f.Breaker.State);
    }

    [Fact]
    public async Task ExecuteAsync_CustomClassify_ServerErrorResultsAreFailures()
    {
        var f = new BreakerFixture(failMax: 2);
        var pipeline = Build(f, static outcome => outcome.Exception is not null || outcome.Result >= 500
            ? CircuitOutcome.Failure
            : outcome.Result >= 400 ? CircuitOutcome.Excluded : CircuitOutcome.Success);
        var ct = CancellationToken.None;

        Assert.Equal(503, await pipeline.ExecuteAsync(Return(503), ct));
        Assert.Equal(404, await pipeline.ExecuteAsync(Return(404), ct)); // excluded: resets the count
        Assert.Equal(500, await pipeline.ExecuteAsync(Return(500), ct));
        Assert.Equal(CircuitState.Closed, f.Breaker.State);
        await Assert.ThrowsAsync<BrokenCircuitException>(async () => await pipeline.ExecuteAsync(Return(502), ct));
        await Assert.ThrowsAsync<BrokenCircuitException>(async () => await pipeline.ExecuteAsync(Return(200), ct));

        Assert.Equal(4, _invocations);
        Assert.Equal(CircuitState.Open, f.Breaker.State);
    }

    [Fact]
    public async Task ExecuteAsync_DefaultClassify_ResultsAreSuccesses()
    {
        var f = new BreakerFixture(failMax: 1);
        var pipeline = Build(f);

        Assert.Equal(503, await pipeline.ExecuteAsync(Return(503), CancellationToken.None));

        Assert.Equal(CircuitState.Closed, f.Breaker.State);
    }

    [Fact]
    public void AddAcgsCircuitBreaker_NoBreaker_Throws()
    {
        var builder = new ResiliencePipelineBuilder<int>();

        Assert.Throws<ArgumentException>(() => builder.AddAcgsCircuitBreaker(new AcgsCircuitBreakerStrategyOptions<int>()));
    }

    private static ResiliencePipeline<int> Build(BreakerFixture f, Func<Outcome<int>, CircuitOutcome>? classify = null)
    {
        var options = new AcgsCircuitBreakerStrategyOptions<int> { Breaker = f.Breaker };
        if (classify is not null)
        {
            options.Classify = classify;
        }

        return new ResiliencePipelineBuilder<int>().AddAcgsCircuitBreaker(options).Build();
    }

    private Func<CancellationToken, ValueTask<int>> Return(int value) => _ =>
    {
        _invocations++;
        return ValueTask.FromResult(value);
    };

    private Func<CancellationToken, ValueTask<int>> Throw(Exception exception) => _ =>
    {
        _invocations++;
        throw exception;
    };
}
