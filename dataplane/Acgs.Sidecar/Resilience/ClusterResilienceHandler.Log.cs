// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core;
using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.Resilience;

/// <content>Source-generated log messages (only on settings changes, never per request).</content>
internal sealed partial class ClusterResilienceHandler
{
    [LoggerMessage(EventId = 3110, Level = LogLevel.Information,
        Message = AcgsConstants.LogPrefix + " resilience of cluster {Cluster}: fail_max {FailMax}, reset_timeout {ResetTimeoutSeconds} s, timeout {TimeoutMs} ms (-1 none), max_attempts {MaxAttempts}, failure statuses {FailureStatuses}")]
    private partial void SettingsApplied(string cluster, int failMax, double resetTimeoutSeconds, double timeoutMs, int maxAttempts, string failureStatuses);

    [LoggerMessage(EventId = 3111, Level = LogLevel.Error,
        Message = AcgsConstants.LogPrefix + " resilience settings of cluster {Cluster} refused, previous (or default) settings kept: {Errors}")]
    private partial void SettingsRejected(string cluster, string errors);
}
