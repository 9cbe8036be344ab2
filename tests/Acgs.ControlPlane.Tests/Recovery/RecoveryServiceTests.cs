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

    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

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

        // Exact schedules are tested on the orchestrator. Here fake time runs about five times faster than real time while
        // the test waits, so a worker woken late on a loaded host acts up to a second of fake time after the due moment;
        // never before it (1 s, then the 2 s backoff), and not a whole extra backoff late.
        var first = (probe.Calls[0].At - start).TotalSeconds;
        var second = (probe.Calls[1].At - start).TotalSeconds;
        Assert.InRange(first, 1.0, 2.5);
        Assert.InRange(second - first, 2.0, 3.5);
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
