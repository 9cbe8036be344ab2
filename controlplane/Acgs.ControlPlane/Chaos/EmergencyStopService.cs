// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Audit;
using Acgs.ControlPlane.Policies;
using Acgs.ControlPlane.Store;

namespace Acgs.ControlPlane.Chaos;

/// <summary>
/// Engages and lifts the chaos emergency stop (docs/control-plane.md: it "clears all and blocks new ones until
/// lifted"). The state lives in the store (Redis: shared by every replica and kept across restarts;
/// embedded: in <c>state.json</c>), each change appends one audit entry and bumps the store revision,
/// and the policy-change listeners are told, so snapshots are recompiled and pushed at once (without
/// fault rules while engaged) and other replicas follow through the Redis change channel.
/// </summary>
internal sealed class EmergencyStopService
{
    /// <summary>Longest <see cref="EmergencyStop.Reason"/>.</summary>
    public const int MaxReasonLength = 1024;

    /// <summary>The policy id recorded in the audit entries of emergency-stop changes.</summary>
    public const string AuditSubject = "chaos-emergency-stop";

    private const int MaxAttempts = 16;
    private readonly IPolicyStore _store;
    private readonly TimeProvider _time;
    private readonly IEnumerable<IPolicyChangeListener> _listeners;

    public EmergencyStopService(IPolicyStore store, TimeProvider time, IEnumerable<IPolicyChangeListener> listeners)
    {
        _store = store;
        _time = time;
        _listeners = listeners;
    }

    /// <summary>The engaged stop, or null.</summary>
    public Task<EmergencyStop?> GetAsync(CancellationToken cancellationToken) => _store.GetEmergencyStopAsync(cancellationToken);

    /// <summary>
    /// Engages the stop. Returns the stop now in force (the existing one, unchanged, when it was engaged
    /// already) and whether this call engaged it.
    /// </summary>
    public async Task<(EmergencyStop Stop, bool Engaged)> EngageAsync(string reason, string actor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await _store.GetEmergencyStopAsync(cancellationToken).ConfigureAwait(false) is { } existing)
            {
                return (existing, false);
            }

            var now = _time.GetUtcNow();
            var stop = new EmergencyStop { Reason = reason, EngagedAt = now, EngagedBy = actor };
            var draft = new AuditDraft(now, actor, PolicyActions.EmergencyStopEngage, AuditSubject, null, "reason=" + reason);
            var result = await _store.SetEmergencyStopAsync(stop, draft, cancellationToken).ConfigureAwait(false);
            if (result.Status == CommitStatus.Committed)
            {
                Notify(result, PolicyActions.EmergencyStopEngage, now);
                return (stop, true);
            }
        }

        throw new InvalidOperationException("the audit log kept changing under the emergency stop; retry");
    }

    /// <summary>Lifts the stop; returns the lifted stop, or null when none was engaged (nothing written).</summary>
    public async Task<EmergencyStop?> LiftAsync(string actor, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await _store.GetEmergencyStopAsync(cancellationToken).ConfigureAwait(false) is not { } existing)
            {
                return null;
            }

            var now = _time.GetUtcNow();
            var draft = new AuditDraft(now, actor, PolicyActions.EmergencyStopLift, AuditSubject, null, "engaged_at=" + existing.EngagedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            var result = await _store.SetEmergencyStopAsync(null, draft, cancellationToken).ConfigureAwait(false);
            if (result.Status == CommitStatus.Committed)
            {
                Notify(result, PolicyActions.EmergencyStopLift, now);
                return existing;
            }
        }

        throw new InvalidOperationException("the audit log kept changing under the emergency stop; retry");
    }

    private void Notify(CommitResult result, string action, DateTimeOffset at)
    {
        var change = new PolicyChange(result.Revision, AuditSubject, action, at);
        foreach (var listener in _listeners)
        {
            listener.OnPolicyChanged(change);
        }
    }
}
