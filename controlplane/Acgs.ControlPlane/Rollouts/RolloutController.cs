// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Acgs.ControlPlane.Rollouts;

/// <summary>Drives the rollouts: every <see cref="RolloutOptions.TickInterval"/> (on the injected <see cref="TimeProvider"/>) one <see cref="RolloutManager.ReconcileAsync"/> pass.</summary>
internal sealed class RolloutController(RolloutManager manager, RolloutOptions options, TimeProvider time, ILogger<RolloutController> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.TickInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await manager.ReconcileAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    RolloutLog.TickFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
