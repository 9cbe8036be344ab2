// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Health;
using Acgs.ControlPlane.HealthAggregation;
using Acgs.ControlPlane.Recovery;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Acgs.ControlPlane.Tests.Recovery;

/// <summary>What the recovery does when its replica takes or loses the lead.</summary>
public sealed class RecoveryLeadershipTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero));

    private RecoveryOrchestrator Create(RecoveryOptions? options = null) =>
        new(options ?? new RecoveryOptions(), new FakeProbe(_time), new RecordingPublisher(), _time, NullLogger<RecoveryOrchestrator>.Instance);

    private HealthStatusChange Now(string service, HealthStatus status) => new(service, null, status, 0.2, _time.GetUtcNow());

    [Fact]
    public void TakeOver_UnhealthyServices_QueuesOneTaskEachWithLeaderChangeTrigger()
    {
        var orchestrator = Create();

        var queued = orchestrator.TakeOver([Now("orders", HealthStatus.Critical), Now("billing", HealthStatus.Healthy), Now("search", HealthStatus.Degraded)]);

        Assert.Equal(1, queued); // degraded triggers nothing under the default trigger (critical)
        var task = Assert.Single(orchestrator.Tasks());
        Assert.Equal("orders", task.Service);
        Assert.Equal(RecoveryOrchestrator.TakeOverTrigger, task.Trigger);
    }

    [Fact]
    public void TakeOver_ServiceAlreadyQueued_QueuesNothingMore()
    {
        var orchestrator = Create();
        orchestrator.OnStatusChanged(null, new HealthStatusChange("orders", HealthStatus.Healthy, HealthStatus.Critical, 0.2, _time.GetUtcNow()));

        Assert.Equal(0, orchestrator.TakeOver([Now("orders", HealthStatus.Critical)]));
        Assert.Single(orchestrator.Tasks());
    }

    [Fact]
    public void HandOver_PendingTasks_EndCancelledInHistory()
    {
        var orchestrator = Create();
        orchestrator.TakeOver([Now("orders", HealthStatus.Critical), Now("billing", HealthStatus.Critical)]);

        Assert.Equal(2, orchestrator.HandOver());

        Assert.Empty(orchestrator.Tasks());
        var history = orchestrator.History();
        Assert.Equal(2, history.Count);
        Assert.All(history, t => Assert.Equal("cancelled", t.State));
        Assert.All(history, t => Assert.Contains("leadership moved", t.LastResult, StringComparison.Ordinal));
    }
}
