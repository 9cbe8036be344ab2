// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Recovery;

/// <summary>One attempt's health check of a service (production: <see cref="HealthAggregatorProbe"/>).</summary>
internal interface IRecoveryProbe
{
    /// <summary>Whether <paramref name="service"/> is healthy now, and why (or why not).</summary>
    ValueTask<RecoveryProbeResult> ProbeAsync(string service, CancellationToken cancellationToken);
}
