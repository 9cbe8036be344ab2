// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Recovery;

/// <summary>A recovery task as the API shows it (snake_case JSON; null fields left out).</summary>
internal sealed record RecoveryTaskView(
    long Id,
    string Service,
    string State,
    string Strategy,
    int Priority,
    string Trigger,
    int Attempts,
    int MaxAttempts,
    int TotalAttempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? LastAttemptAt,
    string? LastResult,
    DateTimeOffset? FinishedAt,
    string? ResetId,
    int? ResetSidecars);
