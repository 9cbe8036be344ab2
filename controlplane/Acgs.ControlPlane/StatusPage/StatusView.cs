// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Metering;
using Acgs.ControlPlane.Audit;
using Acgs.ControlPlane.Distribution;
using Acgs.ControlPlane.HealthAggregation;
using Acgs.ControlPlane.Recovery;
using Acgs.ControlPlane.Rollouts;

namespace Acgs.ControlPlane.StatusPage;

/// <summary>
/// Everything the status page shows, in one document (also <c>GET /api/v1/status</c>); <see cref="ServiceConfig"/> says per service
/// whether its sidecars run the latest compiled configuration (in sync, stale sidecars, a quarantined policy, or not compiling);
/// <see cref="TopCallers"/> are the metered callers of the last hour, largest first (as <c>acgsctl metering top</c> shows them).
/// </summary>
internal sealed record StatusView(
    DateTimeOffset GeneratedAt,
    string ConstitutionalHash,
    MeshHealthView Mesh,
    IReadOnlyList<ServiceHealthView> Services,
    IReadOnlyList<WatcherView> Sidecars,
    IReadOnlyList<RolloutView> Rollouts,
    IReadOnlyList<RecoveryTaskView> Recovery,
    bool AuditChainValid,
    IReadOnlyList<AuditEntry> RecentAudit,
    bool EmergencyStop,
    IReadOnlyList<ServiceConfigView> ServiceConfig,
    IReadOnlyList<MeteringTopCaller> TopCallers);
