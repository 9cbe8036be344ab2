// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Authorization;

/// <summary>The outcome of an authorization decision (the <c>result</c> label of <c>acgs_authz_decisions_total</c>).</summary>
internal enum AuthorizationResult
{
    /// <summary>Allowed.</summary>
    Allow = 0,

    /// <summary>Denied: 403 <c>urn:acgs:forbidden-peer</c> (bus: a <c>forbidden</c> error frame).</summary>
    Deny = 1,

    /// <summary>Allowed, but a dry-run policy (<c>enforce: false</c>) would have denied it.</summary>
    DryRunDeny = 2,
}
