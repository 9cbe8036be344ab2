// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Frozen;
using System.Globalization;
using Acgs.Contracts.Authorization;

namespace Acgs.Sidecar.Authorization;

internal sealed partial class AuthorizationMatcher
{
    /// <summary>
    /// Compiles a validated snapshot's <c>authorization</c> (null: none, every caller allowed): interns every SPIFFE ID
    /// and service name of the rules into ids, resolves each rule's metric children, orders the rules.
    /// </summary>
    public static AuthorizationMatcher? Build(AuthorizationConfig? config, AuthorizationMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (config is null)
        {
            return null;
        }

        var identities = new Dictionary<string, int>(StringComparer.Ordinal);
        var services = new Dictionary<string, int>(StringComparer.Ordinal);
        var next = 0;
        foreach (var policy in config.Policies)
        {
            foreach (var rule in policy.Rules)
            {
                foreach (var from in rule.From)
                {
                    if (from is AuthorizationPrincipal.Any or AuthorizationPrincipal.Unauthenticated)
                    {
                        continue;
                    }

                    var table = AuthorizationPrincipal.IsSpiffeId(from) ? identities : services;
                    if (table.TryAdd(from, next))
                    {
                        next++;
                    }
                }
            }
        }

        var words = (next + 63) / 64;
        var enforcedDenies = new List<CompiledAuthorizationRule>();
        var enforcedAllows = new List<CompiledAuthorizationRule>();
        var shadowDenies = new List<CompiledAuthorizationRule>();
        var shadowAllows = new List<CompiledAuthorizationRule>();
        var rules = 0;
        foreach (var policy in config.Policies)
        {
            for (var i = 0; i < policy.Rules.Length; i++)
            {
                var compiled = Compile(policy.Name, i, policy.Rules[i], identities, services, words, metrics);
                var deny = policy.Action == AuthorizationAction.Deny;
                (deny ? shadowDenies : shadowAllows).Add(compiled);
                if (policy.Enforce)
                {
                    (deny ? enforcedDenies : enforcedAllows).Add(compiled);
                }

                rules++;
            }
        }

        var fallback = new CompiledAuthorizationRule(AuthorizationMetrics.DefaultRule, metrics.Default, [], false, false, [], 0);
        var defaultDeny = config.DefaultAction == AuthorizationAction.Deny;
        var enforced = new RuleSet([.. enforcedDenies], [.. enforcedAllows], defaultDeny && config.DefaultActionEnforce, fallback);
        var dryRun = shadowDenies.Count != enforcedDenies.Count || shadowAllows.Count != enforcedAllows.Count || (defaultDeny && !config.DefaultActionEnforce);
        var shadow = dryRun ? new RuleSet([.. shadowDenies], [.. shadowAllows], defaultDeny, fallback) : null;
        return new AuthorizationMatcher(identities.ToFrozenDictionary(StringComparer.Ordinal), services.ToFrozenDictionary(StringComparer.Ordinal), enforced, shadow, rules);
    }

    private static CompiledAuthorizationRule Compile(string policy, int index, AuthorizationRule rule, Dictionary<string, int> identities, Dictionary<string, int> services,
        int words, AuthorizationMetrics metrics)
    {
        var callers = new ulong[words];
        var any = false;
        var unauthenticated = false;
        foreach (var from in rule.From)
        {
            switch (from)
            {
                case AuthorizationPrincipal.Any:
                    any = true;
                    break;
                case AuthorizationPrincipal.Unauthenticated:
                    unauthenticated = true;
                    break;
                default:
                    var id = identities.TryGetValue(from, out var identity) ? identity : services[from];
                    callers[id >> 6] |= 1UL << (id & 63);
                    break;
            }
        }

        var paths = new string[rule.To?.Paths.Length ?? 0];
        for (var i = 0; i < paths.Length; i++)
        {
            var prefix = rule.To!.Paths[i];
            paths[i] = prefix.Length > 1 ? prefix.TrimEnd('/') : prefix;
            if (paths[i].Length == 0)
            {
                paths[i] = "/";
            }
        }

        var methods = 0;
        foreach (var method in rule.To?.Methods ?? [])
        {
            methods |= AuthorizationMethods.BitOfName(method);
        }

        var ruleId = string.Create(CultureInfo.InvariantCulture, $"{policy}#{index}");
        return new CompiledAuthorizationRule(ruleId, metrics.For(ruleId), callers, any, unauthenticated, paths, methods);
    }
}
