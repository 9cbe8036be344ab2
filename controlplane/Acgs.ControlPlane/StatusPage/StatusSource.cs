// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Metering;
using Acgs.ControlPlane.Audit;
using Acgs.ControlPlane.Chaos;
using Acgs.ControlPlane.Distribution;
using Acgs.ControlPlane.HealthAggregation;
using Acgs.ControlPlane.Metering;
using Acgs.ControlPlane.Recovery;
using Acgs.ControlPlane.Rollouts;
using Acgs.ControlPlane.Store;
using Acgs.Core;

namespace Acgs.ControlPlane.StatusPage;

/// <summary>
/// Builds the <see cref="StatusView"/> from the control plane's own state, at most once per second however many pages
/// are open (the audit chain is read and verified, and the last hour's metering windows summed, each time).
/// </summary>
internal sealed class StatusSource(
    HealthAggregator health,
    DistributionHub hub,
    RolloutManager rollouts,
    RecoveryOrchestrator recovery,
    EmergencyStopService emergencyStop,
    IPolicyStore store,
    IMeteringStore metering,
    TimeProvider time) : IDisposable
{
    /// <summary>How many of the newest audit entries the page shows.</summary>
    public const int AuditEntries = 12;

    /// <summary>How many of the top callers (last hour) the page shows.</summary>
    public const int TopCallerRows = 10;

    /// <summary>How far back the top callers look.</summary>
    public static readonly TimeSpan TopCallersWindow = TimeSpan.FromHours(1);

    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private StatusView? _cached;

    public async Task<StatusView> GetAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } fresh && time.GetUtcNow() - fresh.GeneratedAt < MaxAge)
        {
            return fresh;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_cached is { } again && time.GetUtcNow() - again.GeneratedAt < MaxAge)
            {
                return again;
            }

            _cached = await BuildAsync(cancellationToken).ConfigureAwait(false);
            return _cached;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<StatusView> BuildAsync(CancellationToken cancellationToken)
    {
        var sidecars = WatcherView.Sorted(hub.Watchers);
        var rolloutViews = new List<RolloutView>();
        foreach (var rollout in await rollouts.ListAsync(null, null, cancellationToken).ConfigureAwait(false))
        {
            rolloutViews.Add(RolloutView.From(rollout));
        }

        var audit = await store.ReadAuditAsync(cancellationToken).ConfigureAwait(false);
        var verification = AuditChain.Verify(audit);
        var recent = new List<AuditEntry>(AuditEntries);
        for (var i = audit.Count - 1; i >= 0 && recent.Count < AuditEntries; i--)
        {
            recent.Add(audit[i]);
        }

        var stop = await emergencyStop.GetAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var topCallers = await TopCallersAsync(now, cancellationToken).ConfigureAwait(false);
        return new StatusView(now, AcgsConstants.ConstitutionalHash, HealthConfig.Attach(health.Mesh(), hub),
            HealthConfig.Attach(health.Services(), hub), sidecars, rolloutViews,
            recovery.Tasks(), verification.Valid, recent, stop is not null, ServiceConfigView.From(hub), topCallers);
    }

    /// <summary>The windows that started in the last hour, folded as <c>acgsctl metering top</c> folds them.</summary>
    private async Task<List<MeteringTopCaller>> TopCallersAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var query = new MeteringQuery
        {
            FromUnixMs = (now - TopCallersWindow).ToUnixTimeMilliseconds(),
            ToUnixMs = now.ToUnixTimeMilliseconds(),
            GroupBy = MeteringTopCallers.Dimensions,
        };
        var windows = await metering.QueryAsync(null, query.FromUnixMs, query.ToUnixMs, cancellationToken).ConfigureAwait(false);
        return MeteringTopCallers.Rank(MeteringTotals.Compute(windows, query), TopCallerRows);
    }
}
