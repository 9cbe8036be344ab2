// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.Extensions.Hosting;

namespace Acgs.ControlPlane.HealthAggregation;

/// <summary>Re-evaluates the <see cref="HealthAggregator"/> every report interval, so silent nodes turn open and long-silent ones are forgotten (raising changes) without a request.</summary>
internal sealed class HealthAggregationService(HealthAggregator aggregator, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(aggregator.ReportInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            aggregator.Evaluate();
        }
    }
}
