// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Leadership;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Acgs.ControlPlane.Rollouts;

/// <summary>
/// Drives the rollouts: every <see cref="RolloutOptions.TickInterval"/> (on the injected <see cref="TimeProvider"/>) one
/// <see cref="RolloutManager.ReconcileAsync"/> pass, on the leading replica only. A replica that takes the lead first reloads
/// the rollouts the previous leader saved, so it finishes them.
/// </summary>
internal sealed class RolloutController(RolloutManager manager, RolloutOptions options, ILeadership leadership, TimeProvider time, ILogger<RolloutController> logger) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        leadership.Changed += OnLeadershipChanged;
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        leadership.Changed -= OnLeadershipChanged;
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.TickInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (!leadership.IsLeader)
                {
                    continue;
                }

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

    private void OnLeadershipChanged(object? sender, bool leads)
    {
        if (leads)
        {
            manager.Lead("this control-plane replica took the lead");
        }
        else
        {
            manager.Follow();
        }
    }
}
