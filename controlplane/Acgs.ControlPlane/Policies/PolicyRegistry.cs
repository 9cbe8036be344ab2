// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Acgs.Contracts.Policies;
using Acgs.ControlPlane.Audit;
using Acgs.ControlPlane.Compiler;
using Acgs.ControlPlane.Store;

namespace Acgs.ControlPlane.Policies;

/// <summary>
/// The policy registry's rules: ids and semantic versions, content validation (every error at once,
/// nothing stored when any), the constitutional-hash check, activation that retires the previous
/// version, and one audit entry per write. While a chaos emergency stop is engaged, FaultInjection versions
/// and their activation are refused (<see cref="RegistryStatus.EmergencyStop"/>, nothing stored; checked
/// again atomically at commit). Concurrent writers (other requests, other replicas)
/// are handled by retrying on store conflicts.
/// </summary>
internal sealed partial class PolicyRegistry
{
    private const int MaxAttempts = 16;
    private readonly IPolicyStore _store;
    private readonly IPolicyContentValidator _validator;
    private readonly TimeProvider _time;
    private readonly IEnumerable<IPolicyChangeListener> _listeners;
    private readonly CompileCheck? _check;

    /// <summary>
    /// A registry over <paramref name="store"/>; with <paramref name="check"/>, an activation or deactivation that would
    /// make a service's snapshot fail to compile is refused (<see cref="RegistryStatus.Uncompilable"/>).
    /// </summary>
    public PolicyRegistry(IPolicyStore store, IPolicyContentValidator validator, TimeProvider time, IEnumerable<IPolicyChangeListener> listeners, CompileCheck? check = null)
    {
        _check = check;
        _store = store;
        _validator = validator;
        _time = time;
        _listeners = listeners;
    }

    /// <summary>The store behind the registry.</summary>
    public IPolicyStore Store => _store;

    /// <summary>True when <paramref name="id"/> is a valid policy id (1–128 of a-z, 0-9, '-', '.', '_', starting alphanumeric).</summary>
    public static bool IsValidId(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 128 || !(char.IsAsciiLetterLower(id[0]) || char.IsAsciiDigit(id[0])))
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Creates an empty policy (no versions yet).</summary>
    public async Task<RegistryResult> CreateAsync(string? id, string? description, string actor, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        if (!IsValidId(id))
        {
            errors.Add("id: must be 1-128 characters of lowercase letters, digits, '-', '.', '_', starting with a letter or digit");
        }

        if (description is { Length: > 1024 })
        {
            errors.Add("description: at most 1024 characters");
        }

        if (errors.Count > 0)
        {
            return new RegistryResult(RegistryStatus.Invalid, null, errors);
        }

        var now = _time.GetUtcNow();
        var policy = new PolicyRecord { Id = id!, Description = description, Revision = 1, CreatedAt = now, UpdatedAt = now };
        var result = await _store.CommitAsync(null, policy, new AuditDraft(now, actor, PolicyActions.Create, id!, null, null), cancellationToken).ConfigureAwait(false);
        if (result.Status == CommitStatus.Conflict)
        {
            return RegistryResult.Fail(RegistryStatus.Conflict, $"policy '{id}' already exists");
        }

        Notify(result, id!, PolicyActions.Create, now);
        return RegistryResult.Success(RegistryStatus.Created, policy);
    }

    /// <summary>Validates and stores a new draft version of a policy.</summary>
    public async Task<RegistryResult> AddVersionAsync(string id, string? version, JsonElement? content, string actor, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        if (!SemanticVersion.IsValid(version))
        {
            errors.Add("version: must be a semantic version such as 1.0.0 or 1.2.0-rc.1 (at most 64 characters)");
        }

        byte[]? canonical = null;
        var fault = false;
        if (content is not { ValueKind: JsonValueKind.Object } body)
        {
            errors.Add("content: must be a JSON object (the policy document)");
        }
        else
        {
            errors.AddRange(_validator.Validate(body, id));
            canonical = CanonicalJson.ToBytes(body);
            fault = IsFaultInjection(body);
        }

        if (errors.Count > 0)
        {
            return new RegistryResult(RegistryStatus.Invalid, null, errors);
        }

        if (fault && await _store.GetEmergencyStopAsync(cancellationToken).ConfigureAwait(false) is { } stop)
        {
            return Stopped(stop);
        }

        var sha = CanonicalJson.Sha256(canonical);
        var text = Encoding.UTF8.GetString(canonical!);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await _store.GetAsync(id, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return RegistryResult.Fail(RegistryStatus.NotFound, $"policy '{id}' does not exist");
            }

            if (current.FindVersion(version) is not null)
            {
                return RegistryResult.Fail(RegistryStatus.Conflict, $"policy '{id}' already has version {version}; versions are immutable");
            }

            var now = _time.GetUtcNow();
            var added = new PolicyVersionRecord { Version = version!, Content = text, ContentSha256 = sha, Status = PolicyVersionStatus.Draft, CreatedAt = now };
            var updated = current with { Revision = current.Revision + 1, UpdatedAt = now, Versions = current.Versions.Add(added) };
            var draft = new AuditDraft(now, actor, PolicyActions.CreateVersion, id, version, "content_sha256=" + sha);
            var result = await _store.CommitAsync(current, updated, draft, unlessEmergencyStop: fault, cancellationToken).ConfigureAwait(false);
            if (result.Status == CommitStatus.Committed)
            {
                Notify(result, id, PolicyActions.CreateVersion, now);
                return RegistryResult.Success(RegistryStatus.Created, updated);
            }

            if (result.Status == CommitStatus.EmergencyStop)
            {
                return Stopped(await _store.GetEmergencyStopAsync(cancellationToken).ConfigureAwait(false));
            }
        }

        return RegistryResult.Fail(RegistryStatus.Conflict, "the policy kept changing under this request; retry");
    }

    /// <summary>Activates a version; the previously active one becomes retired. Activating the active version changes nothing.</summary>
    public Task<RegistryResult> ActivateAsync(string id, string? version, string actor, CancellationToken cancellationToken) =>
        ActivateAsync(id, version, actor, null, cancellationToken);

    /// <summary>
    /// As <see cref="ActivateAsync(string, string?, string, CancellationToken)"/>; <paramref name="note"/> (when given) leads the
    /// audit entry's detail, e.g. why a rollout changed the weights.
    /// </summary>
    public async Task<RegistryResult> ActivateAsync(string id, string? version, string actor, string? note, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(version))
        {
            return RegistryResult.Fail(RegistryStatus.Invalid, "version: the query parameter ?version= is required");
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            // One read of the store per attempt (and of the sidecars, concurrently, for the compile check): the policy, the
            // conflict check and the compile check all work from it; the commit is conditioned on the policy's revision.
            var (records, endpoints) = await ReadAsync(cancellationToken).ConfigureAwait(false);
            var current = Find(records, id);
            if (current is null)
            {
                return RegistryResult.Fail(RegistryStatus.NotFound, $"policy '{id}' does not exist");
            }

            if (current.FindVersion(version) is null)
            {
                return RegistryResult.Fail(RegistryStatus.NotFound, $"policy '{id}' has no version {version}");
            }

            if (string.Equals(current.ActiveVersion, version, StringComparison.Ordinal))
            {
                return RegistryResult.Success(RegistryStatus.Ok, current);
            }

            var candidate = current.FindVersion(version)!;
            var parsed = ActivePolicies.Parse(candidate.Content);
            var fault = parsed?.Spec is FaultInjectionSpec;
            if (fault && await _store.GetEmergencyStopAsync(cancellationToken).ConfigureAwait(false) is { } stop)
            {
                return Stopped(stop);
            }

            var active = ActivePolicies.From(records);
            var conflicts = FindConflicts(active, id, candidate.Version, parsed);
            if (conflicts.Count > 0)
            {
                return new RegistryResult(RegistryStatus.Invalid, null, conflicts);
            }

            // The policy as the store will hold it (activation time, content): the rebuild takes the check's snapshots for it.
            var now = _time.GetUtcNow();
            if (_check is not null && parsed is not null
                && _check.IntroducedErrors(records, active, endpoints!, id, new ActivePolicy(id, version, parsed, now) { Content = candidate.Content }, handOver: true)
                    is { Count: > 0 } broken)
            {
                return new RegistryResult(RegistryStatus.Uncompilable, null, broken);
            }

            var builder = ImmutableArray.CreateBuilder<PolicyVersionRecord>(current.Versions.Length);
            foreach (var v in current.Versions)
            {
                builder.Add(v.Version == version
                    ? v with { Status = PolicyVersionStatus.Active, ActivatedAt = now, RetiredAt = null }
                    : v.Status == PolicyVersionStatus.Active ? v with { Status = PolicyVersionStatus.Retired, RetiredAt = now } : v);
            }

            var updated = current with { Revision = current.Revision + 1, UpdatedAt = now, ActiveVersion = version, Versions = builder.MoveToImmutable() };
            var retired = current.ActiveVersion is null ? null : "retired=" + current.ActiveVersion;
            var detail = note is null ? retired : retired is null ? note : note + "; " + retired;
            var result = await _store.CommitAsync(current, updated, new AuditDraft(now, actor, PolicyActions.Activate, id, version, detail), unlessEmergencyStop: fault, cancellationToken).ConfigureAwait(false);
            if (result.Status == CommitStatus.Committed)
            {
                Notify(result, id, PolicyActions.Activate, now);
                return RegistryResult.Success(RegistryStatus.Ok, updated);
            }

            if (result.Status == CommitStatus.EmergencyStop)
            {
                return Stopped(await _store.GetEmergencyStopAsync(cancellationToken).ConfigureAwait(false));
            }
        }

        return RegistryResult.Fail(RegistryStatus.Conflict, "the policy kept changing under this request; retry");
    }

    private static bool IsFaultInjection(JsonElement body) =>
        ContractPolicyContentValidator.TryParse(body, out _)?.Spec is FaultInjectionSpec;

    private static RegistryResult Stopped(Chaos.EmergencyStop? stop) => RegistryResult.Fail(
        RegistryStatus.EmergencyStop,
        "a chaos emergency stop is engaged" + (stop is null ? string.Empty : $" (since {stop.EngagedAt:O}: {stop.Reason})")
            + "; FaultInjection policies cannot be added or activated until it is lifted (DELETE /api/v1/chaos/emergency-stop)");

    /// <summary>The conflicts among <paramref name="active"/> (not changed) with <paramref name="id"/>'s active version replaced by <paramref name="document"/> (null: left out).</summary>
    private static List<string> FindConflicts(List<ActivePolicy> active, string id, string version, Contracts.Policies.PolicyDocument? document)
    {
        var after = new List<ActivePolicy>(active.Count + 1);
        foreach (var policy in active)
        {
            if (!string.Equals(policy.PolicyId, id, StringComparison.Ordinal))
            {
                after.Add(policy);
            }
        }

        if (document is not null)
        {
            after.Add(new ActivePolicy(id, version, document));
        }

        return PolicyConflicts.Find(after);
    }

    /// <summary>The store's policies and, for the compile check (null without one), the registered sidecars, read concurrently.</summary>
    private async Task<(IReadOnlyList<PolicyRecord> Records, IReadOnlyCollection<Discovery.ServiceEndpoint>? Endpoints)> ReadAsync(CancellationToken cancellationToken)
    {
        var listing = _store.ListAsync(cancellationToken);
        var reading = _check?.ListEndpointsAsync();
        await (reading is null ? listing : Task.WhenAll(listing, reading)).ConfigureAwait(false);
        return (await listing.ConfigureAwait(false), reading is null ? null : await reading.ConfigureAwait(false));
    }

    /// <summary>The policy <paramref name="id"/> among <paramref name="records"/> (the store's list), or null.</summary>
    private static PolicyRecord? Find(IReadOnlyList<PolicyRecord> records, string id)
    {
        foreach (var record in records)
        {
            if (string.Equals(record.Id, id, StringComparison.Ordinal))
            {
                return record;
            }
        }

        return null;
    }

    private void Notify(CommitResult result, string id, string action, DateTimeOffset at)
    {
        var change = new PolicyChange(result.Revision, id, action, at);
        foreach (var listener in _listeners)
        {
            listener.OnPolicyChanged(change);
        }
    }
}
