// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Resilience;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Acgs.Sidecar.Tests.Resilience;

public sealed class RetryBudgetTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void TryWithdraw_NoTraffic_AllowsMinimumPerSecondTimesWindow()
    {
        var budget = new RetryBudget(0.2, 10, TimeSpan.FromSeconds(10), _time);

        var allowed = 0;
        while (budget.TryWithdraw())
        {
            allowed++;
        }

        Assert.Equal(100, allowed);
    }

    [Fact]
    public void TryWithdraw_RatioOnly_AllowsTwentyPercentOfRequests()
    {
        var budget = new RetryBudget(0.2, 0, TimeSpan.FromSeconds(10), _time);
        for (var i = 0; i < 50; i++)
        {
            budget.RecordRequest();
        }

        var allowed = 0;
        while (budget.TryWithdraw())
        {
            allowed++;
        }

        Assert.Equal(10, allowed);
        Assert.Equal((50, 10), budget.Snapshot());
    }

    [Fact]
    public void TryWithdraw_WindowSlides_OldRequestsAndRetriesExpire()
    {
        var budget = new RetryBudget(1.0, 0, TimeSpan.FromSeconds(10), _time);
        budget.RecordRequest();
        budget.RecordRequest();
        _time.Advance(TimeSpan.FromSeconds(5));
        budget.RecordRequest();
        Assert.True(budget.TryWithdraw());
        Assert.True(budget.TryWithdraw());
        Assert.True(budget.TryWithdraw());
        Assert.False(budget.TryWithdraw());

        _time.Advance(TimeSpan.FromSeconds(5)); // the first two requests leave the window
        Assert.Equal((1, 3), budget.Snapshot());
        Assert.False(budget.TryWithdraw());

        _time.Advance(TimeSpan.FromSeconds(5)); // everything left
        Assert.Equal((0, 0), budget.Snapshot());
        budget.RecordRequest();
        Assert.True(budget.TryWithdraw());
    }

    [Fact]
    public void TryWithdraw_LongIdle_StartsEmpty()
    {
        var budget = new RetryBudget(0.5, 0, TimeSpan.FromSeconds(10), _time);
        for (var i = 0; i < 10; i++)
        {
            budget.RecordRequest();
        }

        _time.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal((0, 0), budget.Snapshot());
        Assert.False(budget.TryWithdraw());
    }

    [Fact]
    public async Task TryWithdraw_Concurrent_NeverExceedsBudget()
    {
        var budget = new RetryBudget(0.2, 0, TimeSpan.FromSeconds(10), _time);
        for (var i = 0; i < 1000; i++)
        {
            budget.RecordRequest();
        }

        var allowed = 0;
        var workers = new Task[4];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = Task.Run(() =>
            {
                for (var i = 0; i < 200; i++)
                {
                    if (budget.TryWithdraw())
                    {
                        Interlocked.Increment(ref allowed);
                    }
                }
            });
        }

        await Task.WhenAll(workers);
        Assert.Equal(200, allowed);
    }

    [Fact]
    public void Matches_SameBudgetSettings_True_OtherwiseFalse()
    {
        var settings = new RetrySettings { MaxAttempts = 3 };
        var budget = RetryBudget.For(settings, _time);

        Assert.True(budget.Matches(settings with { MaxAttempts = 2 }));
        Assert.False(budget.Matches(settings with { BudgetRatio = 0.5 }));
        Assert.False(budget.Matches(settings with { BudgetWindow = TimeSpan.FromSeconds(20) }));
    }
}
