// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Health;
using Acgs.ControlPlane.HealthAggregation;
using Acgs.ControlPlane.Recovery;
using Acgs.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Acgs.ControlPlane.Tests.Recovery;

/// <summary>The worker loop on fake time: status changes from a real aggregator queue tasks, attempts run when fake time reaches them.</summary>
public sealed class RecoveryServiceTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero));

    // One poll interval of fake time per poll: fake time runs no faster than real time, so a worker woken late on a loaded
    // host acts only as late in fake time as it was in real time.
    private static readonly TimeSpan Step = Eventually.PollInterval;

    /// <summary>Moves fake time forward in small steps until <paramref name="condition"/> holds, no further than <paramref name="maxFake"/>.</summary>
    private async Task DriveUntilAsync(Func<bool> condition, TimeSpan maxFake)
    {
        var advanced = await Eventually.AdvanceUntilAsync(_time, Step, condition);
        Assert.True(advanced <= maxFake + Step, $"fake time ran {advanced} (expected at most {maxFake})");
    }

    [Fact]
    public async Task ExecuteAsync_CriticalThenHealthy_AttemptsOnScheduleAndResets()
    {
        var aggregator = new HealthAggregator(TimeSpan.FromSeconds(5), _time);
        var probe = new FakeProbe(_time);
        var publisher = new RecordingPublisher();
        var orchestrator = new RecoveryOrchestrator(new RecoveryOptions(), probe, publisher, _time, NullLogger<RecoveryOrchestrator>.Instance);
        using var service = new RecoveryService(orchestrator, aggregator, new Acgs.ControlPlane.Leadership.SoleLeadership(), _time, NullLogger<RecoveryService>.Instance);
        await service.StartAsync(CancellationToken.None);
        var start = _time.GetUtcNow();

        aggregator.Report("orders", "n1", new HealthReport([new ClusterHealth("a", "open")], null, null));
        await DriveUntilAsync(() => probe.Calls.Count == 1, TimeSpan.FromSeconds(3));
        probe.SetHealthy("orders", true);
        await DriveUntilAsync(() => publisher.Resets.Count == 1, TimeSpan.FromSeconds(4));
        await service.StopAsync(CancellationToken.None);

        // Exact schedules are tested on the orchestrator. Here the worker may act late by its wake-up delay, never before the
        // due moment (1 s, then the 2 s backoff), and never a whole step (the first delay) late.
        var first = (probe.Calls[0].At - start).TotalSeconds;
        var second = (probe.Calls[1].At - start).TotalSeconds;
        Assert.InRange(first, 1.0, 1.8);
        Assert.InRange(second - first, 2.0, 2.8);
        Assert.Equal("succeeded", Assert.Single(orchestrator.History()).State);
    }

    [Fact]
    public async Task StopAsync_Unsubscribes_LaterChangesQueueNothing()
    {
        var aggregator = new HealthAggregator(TimeSpan.FromSeconds(5), _time);
        var orchestrator = new RecoveryOrchestrator(new RecoveryOptions(), new FakeProbe(_time), new RecordingPublisher(), _time, NullLogger<RecoveryOrchestrator>.Instance);
        using var service = new RecoveryService(orchestrator, aggregator, new Acgs.ControlPlane.Leadership.SoleLeadership(), _time, NullLogger<RecoveryService>.Instance);
        await service.StartAsync(CancellationToken.None);
        await service.StopAsync(CancellationToken.None);

        aggregator.Report("orders", "n1", new HealthReport([new ClusterHealth("a", "open")], null, null));

        Assert.Empty(orchestrator.Tasks());
    }
}
