// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using Acgs.ControlPlane.Audit;
using Acgs.ControlPlane.Store;

namespace Acgs.ControlPlane.Policies;

internal sealed partial class PolicyRegistry
{
    /// <summary>
    /// Deactivates the active version of <paramref name="id"/> (it becomes retired; the policy stays, with no active version)
    /// unless that would break a service's snapshot (a policy others depend on: <see cref="RegistryStatus.Uncompilable"/>).
    /// A policy with no active version is answered as it is.
    /// </summary>
    public async Task<RegistryResult> DeactivateAsync(string id, string actor, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await _store.GetAsync(id, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return RegistryResult.Fail(RegistryStatus.NotFound, $"policy '{id}' does not exist");
            }

            if (current.ActiveVersion is null)
            {
                return RegistryResult.Success(RegistryStatus.Ok, current);
            }

            if (_check is not null && await _check.IntroducedErrorsAsync(_store, id, null, cancellationToken, handOver: true).ConfigureAwait(false) is { Count: > 0 } broken)
            {
                return new RegistryResult(RegistryStatus.Uncompilable, null, broken);
            }

            var now = _time.GetUtcNow();
            var builder = ImmutableArray.CreateBuilder<PolicyVersionRecord>(current.Versions.Length);
            foreach (var v in current.Versions)
            {
                builder.Add(v.Status == PolicyVersionStatus.Active ? v with { Status = PolicyVersionStatus.Retired, RetiredAt = now } : v);
            }

            var updated = current with { Revision = current.Revision + 1, UpdatedAt = now, ActiveVersion = null, Versions = builder.MoveToImmutable() };
            var draft = new AuditDraft(now, actor, PolicyActions.Deactivate, id, current.ActiveVersion, "retired=" + current.ActiveVersion);
            var result = await _store.CommitAsync(current, updated, draft, cancellationToken).ConfigureAwait(false);
            if (result.Status == CommitStatus.Committed)
            {
                Notify(result, id, PolicyActions.Deactivate, now);
                return RegistryResult.Success(RegistryStatus.Ok, updated);
            }
        }

        return RegistryResult.Fail(RegistryStatus.Conflict, "the policy kept changing under this request; retry");
    }

    /// <summary>
    /// Deletes <paramref name="id"/> with every version (audited with the versions it had). An active policy is refused
    /// (<see cref="RegistryStatus.Conflict"/>: deactivate it first), so a delete never changes what sidecars run.
    /// </summary>
    public async Task<RegistryResult> DeleteAsync(string id, string actor, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await _store.GetAsync(id, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return RegistryResult.Fail(RegistryStatus.NotFound, $"policy '{id}' does not exist");
            }

            if (current.ActiveVersion is { } active)
            {
                return RegistryResult.Fail(RegistryStatus.Conflict, $"policy '{id}' has an active version {active}; deactivate it first (PUT /api/v1/policies/{id}/deactivate)");
            }

            var now = _time.GetUtcNow();
            var versions = new List<string>(current.Versions.Length);
            foreach (var v in current.Versions)
            {
                versions.Add(v.Version);
            }

            var draft = new AuditDraft(now, actor, PolicyActions.Delete, id, null, versions.Count == 0 ? "versions=none" : "versions=" + string.Join(",", versions));
            var result = await _store.DeleteAsync(current, draft, cancellationToken).ConfigureAwait(false);
            if (result.Status == CommitStatus.Committed)
            {
                Notify(result, id, PolicyActions.Delete, now);
                return RegistryResult.Success(RegistryStatus.Ok, current);
            }
        }

        return RegistryResult.Fail(RegistryStatus.Conflict, "the policy kept changing under this request; retry");
    }

    /// <summary>
    /// Everything an activation of <paramref name="content"/> as policy <paramref name="id"/> would check — the document,
    /// conflicts with the other active policies, every service's snapshot still compiling — without storing anything:
    /// <see cref="RegistryStatus.Ok"/> (no policy) when it would be accepted.
    /// </summary>
    public async Task<RegistryResult> ValidateAsync(string? id, System.Text.Json.JsonElement? content, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        if (!IsValidId(id))
        {
            errors.Add("id: must be 1-128 characters of lowercase letters, digits, '-', '.', '_', starting with a letter or digit");
        }

        if (content is not { ValueKind: System.Text.Json.JsonValueKind.Object } body)
        {
            errors.Add("content: must be a JSON object (the policy document)");
            return new RegistryResult(RegistryStatus.Invalid, null, errors);
        }

        errors.AddRange(_validator.Validate(body, id ?? string.Empty));
        if (errors.Count > 0)
        {
            return new RegistryResult(RegistryStatus.Invalid, null, errors);
        }

        var text = System.Text.Encoding.UTF8.GetString(CanonicalJson.ToBytes(body));
        var candidate = new PolicyVersionRecord { Version = "0.0.0-validate", Content = text, ContentSha256 = string.Empty, Status = PolicyVersionStatus.Draft };
        var (records, endpoints) = await ReadAsync(cancellationToken).ConfigureAwait(false);
        var active = Compiler.ActivePolicies.From(records);
        var parsed = Compiler.ActivePolicies.Parse(text, remember: false); // validated only: not kept in the shared parse memo
        var conflicts = FindConflicts(active, id!, candidate.Version, parsed);
        if (conflicts.Count > 0)
        {
            return new RegistryResult(RegistryStatus.Invalid, null, conflicts);
        }

        if (_check is not null && parsed is not null
            && _check.IntroducedErrors(records, active, endpoints!, id!, new Compiler.ActivePolicy(id!, candidate.Version, parsed)) is { Count: > 0 } broken)
        {
            return new RegistryResult(RegistryStatus.Uncompilable, null, broken);
        }

        return new RegistryResult(RegistryStatus.Ok, null, []);
    }
}
