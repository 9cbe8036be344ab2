// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Frozen;
using Acgs.ControlPlane.HealthAggregation;
using Acgs.ControlPlane.Recovery;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Acgs.ControlPlane.Tests.Recovery;

public sealed class RecoveryOrchestratorTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero));
    private readonly RecordingPublisher _publisher = new();
    private readonly FakeProbe _probe;
    private readonly DateTimeOffset _start;

    public RecoveryOrchestratorTests()
    {
        _probe = new FakeProbe(_time);
        _start = _time.GetUtcNow();
    }

    private RecoveryOrchestrator Create(RecoveryOptions? options = null) =>
        new(options ?? new RecoveryOptions(), _probe, _publisher, _time, NullLogger<RecoveryOrchestrator>.Instance);

    private static HealthStatusChange Change(string? service, HealthStatus current, HealthStatus? previous = HealthStatus.Healthy) =>
        new(service, previous, current, current == HealthStatus.Healthy ? 1.0 : 0.2, DateTimeOffset.UnixEpoch);

    /// <summary>Advances fake time in steps, running due attempts at each, and returns the attempt offsets from the start in seconds.</summary>
    private async Task<List<double>> RunForAsync(RecoveryOrchestrator orchestrator, TimeSpan total, TimeSpan step)
    {
        for (var elapsed = TimeSpan.Zero; elapsed <= total; elapsed += step)
        {
            await orchestrator.RunDueAsync(CancellationToken.None);
            _time.Advance(step);
        }

        return [.. _probe.Calls.Select(c => (c.At - _start).TotalSeconds)];
    }

    [Fact]
    public void OnStatusChanged_CriticalTwice_OneTaskPerService()
    {
        var orchestrator = Create();

        orchestrator.OnStatusChanged(null, Change("orders", HealthStatus.Critical));
        orchestrator.OnStatusChanged(null, Change("orders", HealthStatus.Critical, HealthStatus.Degraded));
        orchestrator.OnStatusChanged(null, Change("billing", HealthStatus.Critical));

        var tasks = orchestrator.Tasks();
        Assert.Equal(2, tasks.Count);
        var orders = Assert.Single(tasks, t => t.Service == "orders");
        Assert.Equal("pending", orders.State);
        Assert.Equal("critical", orders.Trigger);
        Assert.Equal(_start.AddSeconds(1), orders.NextAttemptAt);
    }

    [Fact]
    public void OnStatusChanged_DegradedWithDefaultTrigger_NoTask()
    {
        var orchestrator = Create();

        orchestrator.OnStatusChanged(null, Change("orders", HealthStatus.Degraded));
        orchestrator.OnStatusChanged(null, Change(null, HealthStatus.Critical));

        Assert.Empty(orchestrator.Tasks());
    }

    [Fact]
    public void OnStatusChanged_DegradedWithDegradedTrigger_TaskQueued()
    {
        var orchestrator = Create(new RecoveryOptions { Trigger = RecoveryTrigger.Degraded });

        orchestrator.OnStatusChanged(null, Change("orders", HealthStatus.Degraded));

        Assert.Equal("degraded", Assert.Single(orchestrator.Tasks()).Trigger);
    }

    [Fact]
    public void OnStatusChanged_Disabled_NoTask()
    {
        var orchestrator = Create(new RecoveryOptions { Enabled = false });

        orchestrator.OnStatusChanged(null, Change("orders", HealthStatus.Critical));

        Assert.Empty(orchestrator.Tasks());
    }

    [Fact]
    public async Task RunDueAsync_ExponentialNeverHealthy_AttemptsAt1_3_7_15_31ThenFailedAndRecorded()
    {
        var orchestrator = Create();
        orchestrator.Enqueue("orders", "critical");

        var attempts = await RunForAsync(orchestrator, TimeSpan.FromSeconds(120), TimeSpan.FromMilliseconds(500));

        Assert.Equal([1, 3, 7, 15, 31], attempts);
        Assert.Empty(orchestrator.Tasks());
        var failed = Assert.Single(orchestrator.History());
        Assert.Equal("failed", failed.State);
        Assert.Equal(5, failed.Attempts);
        Assert.Equal(_start.AddSeconds(31), failed.FinishedAt);
        Assert.Empty(_publisher.Resets);
    }

    [Fact]
    public async Task RunDueAsync_ExponentialBeyondCap_DelaysCappedAtMax()
    {
        var orchestrator = Create(new RecoveryOptions { MaxAttempts = 4, MaxDelay = TimeSpan.FromSeconds(3) });
        orchestrator.Enqueue("orders", "critical");

        var attempts = await RunForAsync(orchestrator, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500));

        Assert.Equal([1, 3, 6, 9], attempts);
    }

    [Fact]
    public async Task RunDueAsync_Linear_AttemptsAt1_3_6_10_15()
    {
        var orchestrator = Create(new RecoveryOptions { Strategy = RecoveryStrategy.Linear });
        orchestrator.Enqueue("orders", "critical");

        var attempts = await RunForAsync(orchestrator, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(500));

        Assert.Equal([1, 3, 6, 10, 15], attempts);
        Assert.Equal("failed", Assert.Single(orchestrator.History()).State);
    }

    [Fact]
    public async Task RunDueAsync_Immediate_AllAttemptsAtOnceThenFailed()
    {
        var orchestrator = Create(new RecoveryOptions { Strategy = RecoveryStrategy.Immediate });
        orchestrator.Enqueue("orders", "critical");

        var ran = await orchestrator.RunDueAsync(CancellationToken.None);

        Assert.Equal(5, ran);
        Assert.All(_probe.Calls, c => Assert.Equal(_start, c.At));
        Assert.Equal("failed", Assert.Single(orchestrator.History()).State);
    }

    [Fact]
    public async Task RunDueAsync_Manual_NoAttemptWithoutOperator()
    {
        var orchestrator = Create(new RecoveryOptions { Strategy = RecoveryStrategy.Manual });
        orchestrator.Enqueue("orders", "critical");

        var attempts = await RunForAsync(orchestrator, TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(30));

        Assert.Empty(attempts);
        var task = Assert.Single(orchestrator.Tasks());
        Assert.Equal("awaiting_operator", task.State);
        Assert.Null(task.NextAttemptAt);
    }

    [Fact]
    public async Task Retry_ManualExhausted_StillWaitsForOperatorWhileExponentialFails()
    {
        var options = new RecoveryOptions { MaxAttempts = 2, Strategies = new Dictionary<string, RecoveryStrategy> { ["manual-svc"] = RecoveryStrategy.Manual }.ToFrozenDictionary() };
        var orchestrator = Create(options);
        orchestrator.Enqueue("manual-svc", "critical");
        orchestrator.Enqueue("auto-svc", "critical");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(RecoveryActionStatus.Updated, orchestrator.Retry("manual-svc", null, null).Status);
            await orchestrator.RunDueAsync(CancellationToken.None);
        }

        await RunForAsync(orchestrator, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(500));

        var manual = Assert.Single(orchestrator.Tasks());
        Assert.Equal("manual-svc", manual.Service);
        Assert.Equal("awaiting_operator", manual.State);
        Assert.Equal(3, manual.TotalAttempts);
        var auto = Assert.Single(orchestrator.History());
        Assert.Equal("auto-svc", auto.Service);
        Assert.Equal("failed", auto.State);
    }

    [Fact]
    public async Task RunDueAsync_ManualAttemptsExhaustedWithoutRetryReset_AwaitsOperatorWithExhaustedNote()
    {
        var orchestrator = Create(new RecoveryOptions { MaxAttempts = 1 });
        orchestrator.Enqueue("orders", "critical");
        Assert.Equal(RecoveryActionStatus.Updated, orchestrator.Update("orders", RecoveryStrategy.Manual, null).Status);
        orchestrator.Retry("orders", null, null);

        await orchestrator.RunDueAsync(CancellationToken.None);

        var task = Assert.Single(orchestrator.Tasks());
        Assert.Equal("awaiting_operator", task.State);
        Assert.StartsWith("attempts exhausted", task.LastResult, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunDueAsync_HealthyOnSecondAttempt_ResetsServiceBreakersAndRecordsSuccess()
    {
        var orchestrator = Create();
        orchestrator.Enqueue("orders", "critical");
        await RunForAsync(orchestrator, TimeSpan.FromSeconds(1.5), TimeSpan.FromMilliseconds(500));
        _probe.SetHealthy("orders", true);

        var attempts = await RunForAsync(orchestrator, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(500));

        Assert.Equal([1, 3], attempts);
        var reset = Assert.Single(_publisher.Resets);
        Assert.Equal(["orders", "inbound|orders"], reset.Clusters.ToArray());
        var done = Assert.Single(orchestrator.History());
        Assert.Equal("succeeded", done.State);
        Assert.Equal(2, done.Attempts);
        Assert.Equal(reset.Id, done.ResetId);
        Assert.Equal(3, done.ResetSidecars);
        Assert.Empty(orchestrator.Tasks());
    }

    [Fact]
    public async Task RunDueAsync_SeveralDue_LowerPriorityNumberProbedFirst()
    {
        var options = new RecoveryOptions { Priorities = new Dictionary<string, int> { ["audit-ledger"] = 1, ["orders"] = 50 }.ToFrozenDictionary() };
        var orchestrator = Create(options);
        orchestrator.Enqueue("search", "critical");
        orchestrator.Enqueue("orders", "critical");
        orchestrator.Enqueue("audit-ledger", "critical");
        _time.Advance(TimeSpan.FromSeconds(1));

        await orchestrator.RunDueAsync(CancellationToken.None);

        Assert.Equal(["audit-ledger", "orders", "search"], _probe.Calls.Select(c => c.Service));
        Assert.Equal(["audit-ledger", "orders", "search"], orchestrator.Tasks().Select(t => t.Service));
    }

    [Fact]
    public async Task OnStatusChanged_Healthy_PendingTaskAttemptsAtOnce()
    {
        var orchestrator = Create(new RecoveryOptions { InitialDelay = TimeSpan.FromSeconds(30), MaxDelay = TimeSpan.FromSeconds(60) });
        orchestrator.OnStatusChanged(null, Change("orders", HealthStatus.Critical));
        _probe.SetHealthy("orders", true);

        orchestrator.OnStatusChanged(null, Change("orders", HealthStatus.Healthy, HealthStatus.Critical));
        await orchestrator.RunDueAsync(CancellationToken.None);

        Assert.Equal([_start], _probe.Calls.Select(c => c.At));
        Assert.Equal("succeeded", Assert.Single(orchestrator.History()).State);
    }

    [Fact]
    public void Retry_NoActiveTask_StartsOperatorTaskDueNow()
    {
        var orchestrator = Create();

        var result = orchestrator.Retry("orders", RecoveryStrategy.Linear, 7);

        Assert.Equal(RecoveryActionStatus.Created, result.Status);
        Assert.Equal("operator", result.Task!.Trigger);
        Assert.Equal("linear", result.Task.Strategy);
        Assert.Equal(7, result.Task.Priority);
        Assert.Equal(_start, result.Task.NextAttemptAt);
    }

    [Fact]
    public void Update_ToManualAndBack_ReschedulesFromLastAttempt()
    {
        var orchestrator = Create(new RecoveryOptions { Strategy = RecoveryStrategy.Linear, InitialDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromSeconds(60) });
        orchestrator.Enqueue("orders", "critical");

        var manual = orchestrator.Update("orders", RecoveryStrategy.Manual, 3);
        Assert.Equal("awaiting_operator", manual.Task!.State);
        Assert.Equal(3, manual.Task.Priority);
        Assert.Null(orchestrator.NextDue());

        _time.Advance(TimeSpan.FromSeconds(4));
        var back = orchestrator.Update("orders", RecoveryStrategy.Exponential, null);

        Assert.Equal("pending", back.Task!.State);
        Assert.Equal(_start.AddSeconds(10), back.Task.NextAttemptAt);
        Assert.Equal(3, back.Task.Priority);
    }

    [Fact]
    public void Cancel_ActiveTask_RecordedAsCancelledAndDequeued()
    {
        var orchestrator = Create();
        orchestrator.Enqueue("orders", "critical");

        var result = orchestrator.Cancel("orders");

        Assert.Equal("cancelled", result.Task!.State);
        Assert.Empty(orchestrator.Tasks());
        Assert.Null(orchestrator.NextDue());
        Assert.Equal("cancelled", Assert.Single(orchestrator.History()).State);
        Assert.Equal(RecoveryActionStatus.NotFound, orchestrator.Cancel("orders").Status);
        Assert.Equal(RecoveryActionStatus.NotFound, orchestrator.Update("orders", null, 1).Status);
    }

    [Fact]
    public void History_MoreThanSize_KeepsNewestFirst()
    {
        var orchestrator = Create(new RecoveryOptions { HistorySize = 2 });
        foreach (var service in new[] { "a", "b", "c" })
        {
            orchestrator.Enqueue(service, "critical");
            orchestrator.Cancel(service);
        }

        Assert.Equal(["c", "b"], orchestrator.History().Select(t => t.Service));
    }

    [Fact]
    public async Task WaitForWorkAsync_TaskDueLater_ReturnsWhenFakeTimeReachesIt()
    {
        var orchestrator = Create();
        orchestrator.Enqueue("orders", "critical");
        await orchestrator.WaitForWorkAsync(TimeSpan.FromMinutes(1), CancellationToken.None); // consumes the enqueue signal

        var wait = orchestrator.WaitForWorkAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(900));
        await Task.Delay(50); // absence check: not woken before fake time reaches the task
        Assert.False(wait.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(100));

        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task WaitForWorkAsync_NewTask_WakesAtOnce()
    {
        var orchestrator = Create();
        var wait = orchestrator.WaitForWorkAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.False(wait.IsCompleted);

        orchestrator.Enqueue("orders", "critical");

        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task RunDueAsync_ProbeThrows_CountedAsFailedAttemptAndRescheduled()
    {
        var probe = new ThrowingProbe();
        var orchestrator = new RecoveryOrchestrator(new RecoveryOptions { Strategy = RecoveryStrategy.Linear }, probe, _publisher, _time, NullLogger<RecoveryOrchestrator>.Instance);
        orchestrator.Retry("orders", null, null);

        await orchestrator.RunDueAsync(CancellationToken.None);

        Assert.Equal(1, probe.Calls);
        var task = Assert.Single(orchestrator.Tasks());
        Assert.Equal("pending", task.State);
        Assert.Equal(1, task.Attempts);
        Assert.Equal("the attempt threw InvalidOperationException", task.LastResult);
        Assert.Equal(_start.AddSeconds(2), task.NextAttemptAt);
        Assert.Empty(_publisher.Resets);
    }

    [Fact]
    public async Task OnStatusChanged_HealthyDuringFailingAttempt_NextAttemptDueAtOnce()
    {
        var probe = new GatedProbe();
        var orchestrator = new RecoveryOrchestrator(new RecoveryOptions(), probe, _publisher, _time, NullLogger<RecoveryOrchestrator>.Instance);
        orchestrator.Retry("orders", null, null);
        var running = orchestrator.RunDueAsync(CancellationToken.None);
        await probe.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(RecoveryActionStatus.Busy, orchestrator.Cancel("orders").Status);
        orchestrator.OnStatusChanged(null, Change("orders", HealthStatus.Healthy, HealthStatus.Critical));
        probe.Release(false);
        await running.WaitAsync(TimeSpan.FromSeconds(10));

        // The second attempt ran at once in the same pass (without the change it would wait 2 s); the third waits 4 s.
        var task = Assert.Single(orchestrator.Tasks());
        Assert.Equal(2, task.Attempts);
        Assert.Equal(_start, task.LastAttemptAt);
        Assert.Equal(_start.AddSeconds(4), task.NextAttemptAt);
    }
}
