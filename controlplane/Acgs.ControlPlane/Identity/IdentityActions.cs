// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Identity;

/// <summary>Audit actions of the certificate authority.</summary>
internal static class IdentityActions
{
    /// <summary>A certificate was issued (<c>policy_id</c> = the SPIFFE ID).</summary>
    public const string Issue = "identity.certificate.issue";

    /// <summary>A certificate request was refused (<c>detail</c> = reason, credential kind, remote address).</summary>
    public const string Refuse = "identity.certificate.refuse";

    /// <summary>A join token was minted (<c>policy_id</c> = its id; never the secret).</summary>
    public const string JoinTokenCreate = "identity.join_token.create";

    /// <summary>A join token was revoked.</summary>
    public const string JoinTokenRevoke = "identity.join_token.revoke";

    /// <summary>The audit subject of refusals without a known identity.</summary>
    public const string Subject = "identity";
}
