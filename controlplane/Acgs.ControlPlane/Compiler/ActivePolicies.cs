// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.ControlPlane.Policies;
using Acgs.ControlPlane.Store;

namespace Acgs.ControlPlane.Compiler;

/// <summary>Reads the active version of every policy and parses it into a policy document.</summary>
internal static class ActivePolicies
{
    /// <summary>The active policies among <paramref name="records"/>; unparsable content (should not happen: it was validated) is skipped.</summary>
    public static List<ActivePolicy> From(IReadOnlyList<PolicyRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var active = new List<ActivePolicy>();
        foreach (var record in records)
        {
            if (record.FindVersion(record.ActiveVersion) is { } version && Parse(version.Content) is { } document)
            {
                active.Add(new ActivePolicy(record.Id, version.Version, document, version.ActivatedAt) { Content = version.Content });
            }
        }

        return active;
    }

    /// <summary>Loads and parses every active policy from <paramref name="store"/>.</summary>
    public static async Task<List<ActivePolicy>> LoadAsync(IPolicyStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return From(await store.ListAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Parses stored canonical content, or null.</summary>
    public static Contracts.Policies.PolicyDocument? Parse(string content)
    {
        using var document = JsonDocument.Parse(content);
        return ContractPolicyContentValidator.TryParse(document.RootElement, out _);
    }
}
