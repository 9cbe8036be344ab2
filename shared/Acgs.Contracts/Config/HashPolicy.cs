// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;

namespace Acgs.Contracts.Config;

/// <summary>The constitutional-hash policy of one service (JSON <c>hash_policy</c>).</summary>
public sealed record HashPolicy
{
    /// <summary>Enforce, only the snapshot's own hash accepted, nothing exempt.</summary>
    public static HashPolicy Default { get; } = new();

    /// <summary>
    /// The accepted hashes (JSON <c>accepted_hashes</c>); the first is the primary one stamped on
    /// outbound calls. Empty means "only the snapshot's <c>constitutional_hash</c>". At most 8.
    /// </summary>
    public ImmutableArray<string> AcceptedHashes { get; init; } = [];

    /// <summary>enforce (default), audit or off (JSON <c>mode</c>).</summary>
    public HashMode Mode { get; init; } = HashMode.Enforce;

    /// <summary>
    /// Request path prefixes that need no hash (JSON <c>exempt_path_prefixes</c>), each starting
    /// with '/', matched by whole segments, case-insensitively (e.g. <c>/healthz</c>).
    /// </summary>
    public ImmutableArray<string> ExemptPathPrefixes { get; init; } = [];
}
