// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.ConstitutionalHash;
using Acgs.Sidecar.Hosting;
using Prometheus;

namespace Acgs.Sidecar.Telemetry;

/// <summary>
/// Pre-created children of <c>acgs_hash_rejections_total</c> and <c>acgs_hash_audit_failures_total</c>
/// for every (listener, reason), in arrays indexed by the enums: recording allocates nothing.
/// </summary>
internal sealed class HashMetrics
{
    private const int Reasons = (int)HashValidationResult.Mismatch + 1;
    private readonly Counter.Child?[] _rejections = new Counter.Child?[4 * Reasons];
    private readonly Counter.Child?[] _audits = new Counter.Child?[4 * Reasons];
    private readonly Counter _stamped;

    /// <summary>Creates every child of the host's <paramref name="metrics"/>.</summary>
    public HashMetrics(SidecarMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        foreach (var kind in (ReadOnlySpan<ListenerKind>)[ListenerKind.Inbound, ListenerKind.Outbound])
        {
            for (var reason = HashValidationResult.Missing; reason <= HashValidationResult.Mismatch; reason++)
            {
                var index = Index(kind, reason);
                _rejections[index] = metrics.HashRejections.WithLabels(TelemetryRegistry.Label(kind), reason.ToReason());
                _audits[index] = metrics.HashAuditFailures.WithLabels(TelemetryRegistry.Label(kind), reason.ToReason());
            }
        }

        _stamped = metrics.HashStamped;
    }

    /// <summary>Counts a 403 rejection.</summary>
    public void Rejected(ListenerKind listener, HashValidationResult reason) => _rejections[Index(listener, reason)]?.Inc();

    /// <summary>Counts an invalid hash let through in audit mode.</summary>
    public void Audited(ListenerKind listener, HashValidationResult reason) => _audits[Index(listener, reason)]?.Inc();

    /// <summary>Counts an outbound request stamped with the primary hash.</summary>
    public void Stamped() => _stamped.Inc();

    private static int Index(ListenerKind listener, HashValidationResult reason) => ((int)listener * Reasons) + (int)reason;
}
