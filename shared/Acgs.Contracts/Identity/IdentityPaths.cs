// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.Identity;

/// <summary>URL paths of the control plane's identity API (certificate signing and join tokens).</summary>
public static class IdentityPaths
{
    /// <summary><c>POST</c>: a <see cref="CsrRequest"/> → 201 <see cref="CsrResponse"/>.</summary>
    public const string Csr = "/api/v1/identity/csr";

    /// <summary><c>GET</c>: the trust bundle (<see cref="TrustBundleView"/>), open like the other reads.</summary>
    public const string TrustBundle = "/api/v1/identity/trust-bundle";

    /// <summary><c>POST</c> (admin): a <see cref="JoinTokenRequest"/> → 201 <see cref="JoinTokenResponse"/>; <c>GET</c> (admin): the tokens, without secrets.</summary>
    public const string JoinTokens = "/api/v1/identity/join-tokens";

    /// <summary><c>DELETE</c> (admin) <c>/api/v1/identity/join-tokens/{id}</c>: revokes one token.</summary>
    public const string JoinToken = "/api/v1/identity/join-tokens/{id}";
}
