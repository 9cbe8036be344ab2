// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Authorization;

/// <summary>
/// A caller as the <see cref="AuthorizationMatcher"/> that resolved it sees it: whether it is authenticated and the
/// interned ids of its SPIFFE ID and of its service name (-1 when no rule names them). Valid only with that matcher.
/// </summary>
internal readonly struct AuthorizationCaller
{
    public AuthorizationCaller(bool authenticated, int identity, int service)
    {
        Authenticated = authenticated;
        Identity = identity;
        Service = service;
    }

    /// <summary>A plaintext caller.</summary>
    public static AuthorizationCaller Unauthenticated => new(false, -1, -1);

    /// <summary>True for a caller with a verified identity (mTLS).</summary>
    public bool Authenticated { get; }

    /// <summary>The interned id of the caller's SPIFFE ID, or -1.</summary>
    public int Identity { get; }

    /// <summary>The interned id of the caller's service name, or -1.</summary>
    public int Service { get; }
}
