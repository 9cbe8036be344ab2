// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text.Json;
using Acgs.Contracts.Policies;
using Acgs.Contracts.Serialization;
using Acgs.ControlPlane.Compiler;
using Acgs.ControlPlane.Policies;
using Acgs.Core.ConstitutionalHash;

namespace Acgs.ControlPlane.Rollouts;

/// <summary>
/// Writes a rollout's weights as the next version of its TrafficSplit policy and activates it through the
/// <see cref="PolicyRegistry"/> — the same path as any policy change: validated, stored, audited, compiled into every
/// sidecar's snapshot and pushed (other replicas follow through the store and the Redis change channel). Versions are
/// <c>N.0.0</c>, N the first free number after the policy's version count.
/// </summary>
internal sealed class RolloutSplitWriter
{
    private const int MaxAttempts = 8;
    private readonly PolicyRegistry _registry;
    private readonly ConstitutionalHashSet _accepted;

    public RolloutSplitWriter(PolicyRegistry registry, ConstitutionalHashSet accepted)
    {
        _registry = registry;
        _accepted = accepted;
    }

    /// <summary>The policy a rollout of <paramref name="service"/> creates when no TrafficSplit policy targets it yet.</summary>
    public static string PolicyIdFor(string service) => "rollout." + service;

    /// <summary>The active TrafficSplit policy targeting <paramref name="service"/>, if any.</summary>
    public static ActivePolicy? CurrentSplit(IReadOnlyList<ActivePolicy> active, string service)
    {
        ArgumentNullException.ThrowIfNull(active);
        foreach (var policy in active)
        {
            if (policy.Document.Spec is TrafficSplitSpec && string.Equals(policy.Document.Target, service, StringComparison.Ordinal))
            {
                return policy;
            }
        }

        return null;
    }

    /// <summary>
    /// Makes <paramref name="greenWeight"/> % (blue the rest) the active split of <paramref name="rollout"/>'s policy, creating
    /// the policy when needed. Nothing is written when that split is active already, unless <paramref name="force"/> (a
    /// rollback always leaves an audit entry). <paramref name="note"/> leads the activation's audit detail.
    /// </summary>
    public async Task<RegistryResult> WriteAsync(Rollout rollout, int greenWeight, string actor, string note, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        var current = await _registry.Store.GetAsync(rollout.PolicyId, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            var created = await _registry.CreateAsync(rollout.PolicyId, $"traffic split of '{rollout.Service}', written by its rollouts", actor, cancellationToken).ConfigureAwait(false);
            if (created.Status is not (RegistryStatus.Created or RegistryStatus.Conflict))
            {
                return created;
            }

            current = await _registry.Store.GetAsync(rollout.PolicyId, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return RegistryResult.Fail(RegistryStatus.NotFound, $"policy '{rollout.PolicyId}' vanished while the rollout wrote to it");
            }
        }

        var spec = new TrafficSplitSpec(rollout.Blue, 100 - greenWeight, rollout.Green, greenWeight);
        if (!force && current.FindVersion(current.ActiveVersion) is { } active
            && ActivePolicies.Parse(active.Content) is { Spec: TrafficSplitSpec existing } document
            && existing == spec && string.Equals(document.Target, rollout.Service, StringComparison.Ordinal))
        {
            return RegistryResult.Success(RegistryStatus.Ok, current);
        }

        var content = JsonSerializer.SerializeToElement(PolicyDocument.Create(rollout.PolicyId, rollout.Service, spec, _accepted.Primary), AcgsJsonContext.Default.PolicyDocument);
        var number = current.Versions.Length + 1;
        for (var attempt = 0; attempt < MaxAttempts; attempt++, number++)
        {
            var version = number.ToString(CultureInfo.InvariantCulture) + ".0.0";
            if (current.FindVersion(version) is not null)
            {
                attempt--;
                continue;
            }

            var added = await _registry.AddVersionAsync(rollout.PolicyId, version, content, actor, cancellationToken).ConfigureAwait(false);
            if (added.Status == RegistryStatus.Conflict)
            {
                current = await _registry.Store.GetAsync(rollout.PolicyId, cancellationToken).ConfigureAwait(false) ?? current;
                continue;
            }

            if (added.Status != RegistryStatus.Created)
            {
                return added;
            }

            return await _registry.ActivateAsync(rollout.PolicyId, version, actor, note, cancellationToken).ConfigureAwait(false);
        }

        return RegistryResult.Fail(RegistryStatus.Conflict, $"policy '{rollout.PolicyId}' kept changing while the rollout wrote to it; retry");
    }
}
