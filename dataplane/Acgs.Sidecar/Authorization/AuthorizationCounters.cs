// Constitutional Hash: cdd01ef066bc6cf2

using Prometheus;

namespace Acgs.Sidecar.Authorization;

/// <summary>The three children of <c>acgs_authz_decisions_total</c> for one rule label, created once.</summary>
internal sealed class AuthorizationCounters
{
    private readonly Counter.Child _allow;
    private readonly Counter.Child _deny;
    private readonly Counter.Child _dryRunDeny;

    public AuthorizationCounters(Counter decisions, string rule)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        _allow = decisions.WithLabels("allow", rule);
        _deny = decisions.WithLabels("deny", rule);
        _dryRunDeny = decisions.WithLabels("dry_run_deny", rule);
    }

    /// <summary>Counts one decision.</summary>
    public void Count(AuthorizationResult result)
    {
        switch (result)
        {
            case AuthorizationResult.Allow:
                _allow.Inc();
                break;
            case AuthorizationResult.Deny:
                _deny.Inc();
                break;
            default:
                _dryRunDeny.Inc();
                break;
        }
    }
}
