// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Frozen;
using Acgs.Contracts.Authorization;

namespace Acgs.Sidecar.Authorization;

/// <summary>
/// The compiled <c>authorization</c> of the active snapshot (built by <see cref="Build"/> when the snapshot is applied,
/// replaced as a whole with it). <see cref="Resolve"/> turns the caller's SPIFFE ID into interned ids once per request;
/// <see cref="Evaluate"/> decides with Istio's order: enforced deny rules, then the allow rules (when there are any, a
/// request matching none is denied), then the default action. When dry-run policies exist, an allowed request is also
/// judged as if they were enforced, and a denial there is <see cref="AuthorizationResult.DryRunDeny"/>. No allocation.
/// </summary>
internal sealed partial class AuthorizationMatcher
{
    private readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _identities;
    private readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _services;
    private readonly bool _hasIdentities;
    private readonly bool _hasServices;
    private readonly RuleSet _enforced;
    private readonly RuleSet? _shadow;

    private AuthorizationMatcher(FrozenDictionary<string, int> identities, FrozenDictionary<string, int> services, RuleSet enforced, RuleSet? shadow, int rules)
    {
        _identities = identities.GetAlternateLookup<ReadOnlySpan<char>>();
        _services = services.GetAlternateLookup<ReadOnlySpan<char>>();
        _hasIdentities = identities.Count > 0;
        _hasServices = services.Count > 0;
        _enforced = enforced;
        _shadow = shadow;
        RuleCount = rules;
    }

    /// <summary>Rules compiled (over every policy).</summary>
    public int RuleCount { get; }

    /// <summary>The caller whose verified SPIFFE ID is <paramref name="spiffeId"/> (null or empty: unauthenticated).</summary>
    public AuthorizationCaller Resolve(ReadOnlySpan<char> spiffeId)
    {
        if (spiffeId.IsEmpty)
        {
            return AuthorizationCaller.Unauthenticated;
        }

        var identity = _hasIdentities && _identities.TryGetValue(spiffeId, out var id) ? id : -1;
        var service = _hasServices && AuthorizationPrincipal.TryGetService(spiffeId, out var name) && _services.TryGetValue(name, out var sid) ? sid : -1;
        return new AuthorizationCaller(true, identity, service);
    }

    /// <summary>
    /// The caller known only by its service name (a local bus agent when this sidecar has no certificate): authenticated
    /// as that service, matched by service-name entries only.
    /// </summary>
    public AuthorizationCaller ResolveService(ReadOnlySpan<char> service) =>
        new(true, -1, _hasServices && _services.TryGetValue(service, out var sid) ? sid : -1);

    /// <summary>Decides a request of <paramref name="caller"/> to <paramref name="path"/> with <paramref name="methodBit"/> (<see cref="AuthorizationMethods.BitOfRequest"/>).</summary>
    public AuthorizationDecision Evaluate(in AuthorizationCaller caller, ReadOnlySpan<char> path, int methodBit)
    {
        var decision = _enforced.Decide(caller, path, methodBit);
        if (_shadow is null || decision.Result == AuthorizationResult.Deny)
        {
            return decision;
        }

        var shadow = _shadow.Decide(caller, path, methodBit);
        return shadow.Result == AuthorizationResult.Deny ? new AuthorizationDecision(AuthorizationResult.DryRunDeny, shadow.Rule) : decision;
    }

    /// <summary>One evaluation order: deny rules, allow rules, default.</summary>
    private sealed class RuleSet(AuthorizationRuleIndex denies, AuthorizationRuleIndex allows, bool defaultDeny, CompiledAuthorizationRule fallback)
    {
        public AuthorizationDecision Decide(in AuthorizationCaller caller, ReadOnlySpan<char> path, int methodBit)
        {
            if (denies.FirstMatch(caller, path, methodBit) is { } deny)
            {
                return new AuthorizationDecision(AuthorizationResult.Deny, deny);
            }

            if (!allows.IsEmpty)
            {
                return allows.FirstMatch(caller, path, methodBit) is { } allow
                    ? new AuthorizationDecision(AuthorizationResult.Allow, allow)
                    : new AuthorizationDecision(AuthorizationResult.Deny, fallback);
            }

            return new AuthorizationDecision(defaultDeny ? AuthorizationResult.Deny : AuthorizationResult.Allow, fallback);
        }
    }
}
