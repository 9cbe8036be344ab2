// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Audit;
using Acgs.ControlPlane.Chaos;

namespace Acgs.ControlPlane.Store;

/// <summary>
/// Where policies and the audit log live: Redis (<see cref="RedisPolicyStore"/>) or a local data
/// directory (<see cref="EmbeddedPolicyStore"/>). Both behave the same; the contract tests run against both.
/// Every change is a <see cref="CommitAsync(PolicyRecord?, PolicyRecord, AuditDraft, CancellationToken)"/>: the policy is replaced and one audit entry, chained to
/// the previous one, is appended in the same atomic step, or nothing happens.
/// </summary>
internal interface IPolicyStore
{
    /// <summary><c>redis</c> or <c>embedded</c>: shown by the health endpoints.</summary>
    string Kind { get; }

    /// <summary>Connects or loads; called once at startup.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>The policy, or null.</summary>
    Task<PolicyRecord?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Every policy, ordered by id.</summary>
    Task<IReadOnlyList<PolicyRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Replaces <paramref name="expected"/> (null: the policy must not exist yet) with
    /// <paramref name="updated"/> and appends <paramref name="audit"/> to the audit chain, atomically.
    /// Returns <see cref="CommitStatus.Conflict"/> without writing when the stored policy's revision
    /// is no longer <paramref name="expected"/>'s, or the audit head moved meanwhile.
    /// </summary>
    Task<CommitResult> CommitAsync(PolicyRecord? expected, PolicyRecord updated, AuditDraft audit, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="CommitAsync(PolicyRecord?, PolicyRecord, AuditDraft, CancellationToken)"/>; with
    /// <paramref name="unlessEmergencyStop"/>, writes nothing and returns <see cref="CommitStatus.EmergencyStop"/>
    /// when a chaos emergency stop is engaged at commit time (checked in the same atomic step).
    /// </summary>
    Task<CommitResult> CommitAsync(PolicyRecord? expected, PolicyRecord updated, AuditDraft audit, bool unlessEmergencyStop, CancellationToken cancellationToken);

    /// <summary>
    /// Removes <paramref name="expected"/> (unchanged since it was read: same revision, else <see cref="CommitStatus.Conflict"/>)
    /// with its versions, appending <paramref name="audit"/> and bumping the store revision in the same atomic step.
    /// </summary>
    Task<CommitResult> DeleteAsync(PolicyRecord expected, AuditDraft audit, CancellationToken cancellationToken);

    /// <summary>The engaged chaos emergency stop, or null.</summary>
    Task<EmergencyStop?> GetEmergencyStopAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Engages (<paramref name="stop"/> non-null) or lifts (null) the chaos emergency stop and appends
    /// <paramref name="audit"/>, atomically, bumping the revision. Returns <see cref="CommitStatus.Conflict"/>
    /// without writing when the audit head moved meanwhile (retry).
    /// </summary>
    Task<CommitResult> SetEmergencyStopAsync(EmergencyStop? stop, AuditDraft audit, CancellationToken cancellationToken);

    /// <summary>
    /// Appends <paramref name="audit"/> to the chain alone (no policy change, no revision bump: nothing is recompiled),
    /// e.g. an identity issuance or refusal. Returns <see cref="CommitStatus.Conflict"/> without writing when the
    /// audit head moved meanwhile (retry).
    /// </summary>
    Task<CommitResult> AppendAuditAsync(AuditDraft audit, CancellationToken cancellationToken);

    /// <summary>The whole audit log, oldest first.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(CancellationToken cancellationToken);

    /// <summary>The global revision: how many commits the store has seen.</summary>
    Task<long> GetRevisionAsync(CancellationToken cancellationToken);

    /// <summary>True when the store answers (Redis PING; the data directory is writable).</summary>
    Task<bool> PingAsync(CancellationToken cancellationToken);
}
