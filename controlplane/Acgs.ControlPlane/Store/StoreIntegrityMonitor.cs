// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using Acgs.ControlPlane.Telemetry;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Acgs.ControlPlane.Store;

/// <summary>
/// Reports policies the Redis store refuses to serve because their content does not match its hash
/// (<see cref="PolicyIntegrity"/>): <c>acgs_controlplane_store_integrity_failures_total</c> counts every refusal, and
/// each tampered version is logged once (one line) per process.
/// </summary>
internal sealed partial class StoreIntegrityMonitor
{
    private readonly ConcurrentDictionary<string, bool> _logged = new(StringComparer.Ordinal);
    private readonly Counter _failures;
    private readonly ILogger<StoreIntegrityMonitor> _logger;

    public StoreIntegrityMonitor(ControlPlaneMetrics metrics, ILogger<StoreIntegrityMonitor> logger)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _logger = logger;
        _failures = Metrics.WithCustomRegistry(metrics.Registry).CreateCounter(
            "acgs_controlplane_store_integrity_failures_total",
            "Reads of a stored policy refused because a version's content does not hash to its content_sha256 (edited outside the control plane).");
    }

    /// <summary>Counts one refusal and logs it the first time.</summary>
    public void Refused(string source, PolicyRecord policy, PolicyVersionRecord version)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(version);
        _failures.Inc();
        if (_logged.TryAdd(policy.Id + "\n" + version.Version + "\n" + version.ContentSha256, true))
        {
            LogRefused(PolicyIntegrity.Describe(source, policy, version));
        }
    }

    [LoggerMessage(EventId = 5950, Level = LogLevel.Error, Message = "[cdd01ef066bc6cf2] {Problem}")]
    private partial void LogRefused(string problem);
}
