// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using System.Text.Json;
using Acgs.ControlPlane.Policies;
using Acgs.ControlPlane.Store;

namespace Acgs.ControlPlane.Compiler;

/// <summary>
/// Reads the active version of every policy and parses it into a policy document. A document is parsed once per distinct
/// content: stored content is immutable per version and parsing is a pure function of the text, so the activation
/// request, its compile check and the rebuild that follows share one parse (keyed by the whole text, never by id or version).
/// </summary>
internal static class ActivePolicies
{
    /// <summary>How many distinct contents the parse memo holds before it starts over (bounds its memory).</summary>
    private const int MemoCapacity = 4096;

    /// <summary>How many characters of content the parse memo holds before it starts over (bounds it for large policies too).</summary>
    private const long MemoChars = 8L * 1024 * 1024;

    private static long _memoChars;

    private static readonly ConcurrentDictionary<string, Contracts.Policies.PolicyDocument> Parsed = new(StringComparer.Ordinal);

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

    /// <summary>
    /// Parses stored canonical content, or null; the same content gives the same (shared, immutable) document. With
    /// <paramref name="remember"/> false (a text that is only validated, never stored) a parse is looked up but not kept, so
    /// validation requests do not evict the documents that activations and rebuilds share.
    /// </summary>
    public static Contracts.Policies.PolicyDocument? Parse(string content, bool remember = true)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (Parsed.TryGetValue(content, out var known))
        {
            return known;
        }

        using var json = JsonDocument.Parse(content);
        if (ContractPolicyContentValidator.TryParse(json.RootElement, out _) is not { } parsed)
        {
            return null;
        }

        if (!remember)
        {
            return parsed;
        }

        if (Parsed.Count >= MemoCapacity || Interlocked.Add(ref _memoChars, content.Length) > MemoChars)
        {
            Parsed.Clear(); // approximate under races: the bound is what matters, not an exact count
            Interlocked.Exchange(ref _memoChars, content.Length);
        }

        return Parsed.GetOrAdd(content, parsed);
    }
}
