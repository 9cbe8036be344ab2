// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Discovery;
using Acgs.ControlPlane.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Acgs.ControlPlane.Distribution;

/// <summary>
/// Runs <see cref="DistributionHub.RebuildAsync"/> whenever a rebuild is requested (coalescing bursts),
/// and every <see cref="PollInterval"/> checks the store revision so a change whose notification was
/// lost (Redis pub/sub is fire-and-forget) still reaches every sidecar. Refreshes this replica's
/// shared discovery registrations.
/// </summary>
internal sealed class DistributionService(DistributionHub hub, IPolicyStore store, ServiceDirectory directory, TimeProvider time, ILogger<DistributionService> logger) : BackgroundService
{
    /// <summary>How often the store revision is checked without a notification.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(10);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        hub.CompleteAll();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastRefresh = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var requested = await hub.WaitForRequestAsync(PollInterval, stoppingToken).ConfigureAwait(false);
                if (!requested)
                {
                    requested = await store.GetRevisionAsync(stoppingToken).ConfigureAwait(false) != hub.LastRevision;
                }

                if (requested)
                {
                    await hub.RebuildAsync(stoppingToken).ConfigureAwait(false);
                }

                if (time.GetUtcNow() - lastRefresh >= RefreshInterval)
                {
                    lastRefresh = time.GetUtcNow();
                    await directory.RefreshAsync().ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                DistributionLog.RebuildFailed(logger, ex);
                await Task.Delay(TimeSpan.FromMilliseconds(500), time, stoppingToken).ConfigureAwait(false);
            }
        }
    }
}
