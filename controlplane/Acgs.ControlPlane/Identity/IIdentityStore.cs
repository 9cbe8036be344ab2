// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Identity;

/// <summary>
/// Where the generated CA and the join tokens live: beside the embedded store (owner-only files) or in Redis
/// (shared by every replica, so all issue from one CA and a token is used once mesh-wide).
/// </summary>
internal interface IIdentityStore
{
    /// <summary>The stored CA PEM; when there is none, stores <paramref name="create"/>'s and returns it (first writer wins).</summary>
    Task<string> GetOrCreateCaAsync(Func<string> create, CancellationToken cancellationToken);

    /// <summary>Stores a new token (ids are random; a duplicate id throws).</summary>
    Task AddJoinTokenAsync(JoinTokenRecord token, CancellationToken cancellationToken);

    /// <summary>The token, or null.</summary>
    Task<JoinTokenRecord?> GetJoinTokenAsync(string id, CancellationToken cancellationToken);

    /// <summary>Replaces <paramref name="expected"/> with <paramref name="updated"/> only if it is unchanged (compare-and-swap).</summary>
    Task<bool> ReplaceJoinTokenAsync(JoinTokenRecord expected, JoinTokenRecord updated, CancellationToken cancellationToken);

    /// <summary>Every token, newest first.</summary>
    Task<IReadOnlyList<JoinTokenRecord>> ListJoinTokensAsync(CancellationToken cancellationToken);
}
