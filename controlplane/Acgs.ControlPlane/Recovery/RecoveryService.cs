// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.HealthAggregation;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Acgs.ControlPlane.Recovery;

/// <summary>
/// The recovery worker: subscribes the orchestrator to the health aggregator's status changes, then runs due attempts
/// and sleeps (on the <see cref="TimeProvider"/>) until the next one is due or something new arrives. An unexpected
/// error is logged and the loop goes on after <see cref="ErrorPause"/>; it never stops the host.
/// </summary>
internal sealed partial class RecoveryService(
    RecoveryOrchestrator orchestrator, HealthAggregator aggregator, Leadership.ILeadership leadership, TimeProvider time, ILogger<RecoveryService> logger) : BackgroundService
{
    /// <summary>Longest sleep with nothing queued (a safety net; new work wakes the worker at once).</summary>
    public static readonly TimeSpan IdleWait = TimeSpan.FromMinutes(1);

    /// <summary>The pause after an unexpected error.</summary>
    public static readonly TimeSpan ErrorPause = TimeSpan.FromSeconds(1);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        aggregator.StatusChanged += OnStatusChanged;
        leadership.Changed += OnLeadershipChanged;
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        aggregator.StatusChanged -= OnStatusChanged;
        leadership.Changed -= OnLeadershipChanged;
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarted(orchestrator.Options.ToString());
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
            catch (Exception ex)
            {
                LogLoopFailed(ex);
                try
                {
                    await Task.Delay(ErrorPause, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Only the leader queues recovery (every replica aggregates every report).</summary>
    private void OnStatusChanged(object? sender, HealthAggregation.HealthStatusChange change)
    {
        if (leadership.IsLeader)
        {
            orchestrator.OnStatusChanged(sender, change);
        }
    }

    private void OnLeadershipChanged(object? sender, bool leads)
    {
        if (leads)
        {
            LogTookOver(orchestrator.TakeOver(aggregator.CurrentStatuses()));
        }
        else
        {
            LogHandedOver(orchestrator.HandOver());
        }
    }

    [LoggerMessage(5612, LogLevel.Information, "[cdd01ef066bc6cf2] recovery: this replica leads; {Queued} task(s) queued for services already unhealthy")]
    private partial void LogTookOver(int queued);

    [LoggerMessage(5613, LogLevel.Information, "[cdd01ef066bc6cf2] recovery: this replica no longer leads; {Cancelled} waiting task(s) cancelled")]
    private partial void LogHandedOver(int cancelled);

    [LoggerMessage(5610, LogLevel.Information, "[cdd01ef066bc6cf2] recovery orchestrator running: {Options}")]
    private partial void LogStarted(string options);

    [LoggerMessage(5611, LogLevel.Error, "[cdd01ef066bc6cf2] recovery worker loop failed; continuing")]
    private partial void LogLoopFailed(Exception exception);
}
