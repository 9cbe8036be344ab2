// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.HealthAggregation;
using Microsoft.Extensions.Hosting;

namespace Acgs.ControlPlane.Recovery;

/// <summary>
/// The recovery worker: subscribes the orchestrator to the health aggregator's status changes, then runs due attempts
/// and sleeps (on the <see cref="TimeProvider"/>) until the next one is due or something new arrives.
/// </summary>
internal sealed class RecoveryService(RecoveryOrchestrator orchestrator, HealthAggregator aggregator) : BackgroundService
{
    /// <summary>Longest sleep with nothing queued (a safety net; new work wakes the worker at once).</summary>
    public static readonly TimeSpan IdleWait = TimeSpan.FromMinutes(1);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        aggregator.StatusChanged += orchestrator.OnStatusChanged;
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        aggregator.StatusChanged -= orchestrator.OnStatusChanged;
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await orchestrator.RunDueAsync(stoppingToken).ConfigureAwait(false);
                await orchestrator.WaitForWorkAsync(IdleWait, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }
}
