// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Authorization;

/// <summary>A decision and the rule that made it (the matcher's default pseudo-rule when none matched).</summary>
internal readonly struct AuthorizationDecision
{
    public AuthorizationDecision(AuthorizationResult result, CompiledAuthorizationRule rule)
    {
        Result = result;
        Rule = rule;
    }

    /// <summary>allow, deny or dry_run_deny.</summary>
    public AuthorizationResult Result { get; }

    /// <summary>The deciding rule.</summary>
    public CompiledAuthorizationRule Rule { get; }

    /// <summary>Counts the decision in <c>acgs_authz_decisions_total{result,rule}</c> (a cached child: no allocation).</summary>
    public void Count() => Rule.Counters.Count(Result);
}
