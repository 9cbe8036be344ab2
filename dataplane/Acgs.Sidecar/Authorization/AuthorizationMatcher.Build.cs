// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Frozen;
using System.Globalization;
using Acgs.Contracts.Authorization;

namespace Acgs.Sidecar.Authorization;

internal sealed partial class AuthorizationMatcher
{
    /// <summary>
    /// Compiles a validated snapshot's <c>authorization</c> (null: none, every caller allowed): interns every SPIFFE ID
    /// and service name of the rules into ids, indexes the rules by caller, resolves each rule's metric children.
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
        foreach (var policy in config.Policies)
        {
            foreach (var rule in policy.Rules)
            {
                foreach (var from in rule.From)
                {
                    if (from is not (AuthorizationPrincipal.Any or AuthorizationPrincipal.Unauthenticated))
                    {
                        (AuthorizationPrincipal.IsSpiffeId(from) ? identities : services).TryAdd(from, identities.Count + services.Count);
                    }
                }
            }
        }

        var callers = identities.Count + services.Count;
        var enforced = (Deny: new IndexBuilder(callers), Allow: new IndexBuilder(callers));
        var shadow = (Deny: new IndexBuilder(callers), Allow: new IndexBuilder(callers));
        var rules = 0;
        foreach (var policy in config.Policies)
        {
            var deny = policy.Action == AuthorizationAction.Deny;
            for (var i = 0; i < policy.Rules.Length; i++)
            {
                var rule = policy.Rules[i];
                var compiled = Compile(policy.Name, i, rule, metrics);
                (deny ? shadow.Deny : shadow.Allow).Add(compiled, rule, identities, services);
                if (policy.Enforce)
                {
                    (deny ? enforced.Deny : enforced.Allow).Add(compiled, rule, identities, services);
                }

                rules++;
            }
        }

        var fallback = new CompiledAuthorizationRule(AuthorizationMetrics.DefaultRule, metrics.Default, [], 0);
        var defaultDeny = config.DefaultAction == AuthorizationAction.Deny;
        var enforcedSet = new RuleSet(enforced.Deny.Build(), enforced.Allow.Build(), defaultDeny && config.DefaultActionEnforce, fallback);
        var dryRun = shadow.Deny.Count != enforced.Deny.Count || shadow.Allow.Count != enforced.Allow.Count || (defaultDeny && !config.DefaultActionEnforce);
        var shadowSet = dryRun ? new RuleSet(shadow.Deny.Build(), shadow.Allow.Build(), defaultDeny, fallback) : null;
        return new AuthorizationMatcher(identities.ToFrozenDictionary(StringComparer.Ordinal), services.ToFrozenDictionary(StringComparer.Ordinal), enforcedSet, shadowSet, rules);
    }

    private static CompiledAuthorizationRule Compile(string policy, int index, AuthorizationRule rule, AuthorizationMetrics metrics)
    {
        var paths = new string[rule.To?.Paths.Length ?? 0];
        for (var i = 0; i < paths.Length; i++)
        {
            var prefix = AsciiLower(rule.To!.Paths[i].TrimEnd('/'));
            paths[i] = prefix.Length == 0 ? "/" : prefix;
        }

        var methods = 0;
        foreach (var method in rule.To?.Methods ?? [])
        {
            methods |= AuthorizationMethods.BitOfName(method);
        }

        var ruleId = string.Create(CultureInfo.InvariantCulture, $"{policy}#{index}");
        return new CompiledAuthorizationRule(ruleId, metrics.For(ruleId), paths, methods);
    }

    /// <summary><paramref name="value"/> with ASCII letters lower-cased (other characters kept: they are compared exactly).</summary>
    private static string AsciiLower(string value) => string.Create(value.Length, value, static (span, source) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            var c = source[i];
            span[i] = c is >= 'A' and <= 'Z' ? (char)(c | 0x20) : c;
        }
    });

    /// <summary>Collects the rules of one <see cref="AuthorizationRuleIndex"/> in rule order.</summary>
    private sealed class IndexBuilder(int callers)
    {
        private readonly List<CompiledAuthorizationRule> _rules = [];
        private readonly List<int>[] _byCaller = CreateLists(callers);
        private readonly List<int> _any = [];
        private readonly List<int> _unauthenticated = [];

        public int Count => _rules.Count;

        public void Add(CompiledAuthorizationRule compiled, AuthorizationRule rule, Dictionary<string, int> identities, Dictionary<string, int> services)
        {
            var index = _rules.Count;
            _rules.Add(compiled);
            foreach (var from in rule.From)
            {
                var list = from switch
                {
                    AuthorizationPrincipal.Any => _any,
                    AuthorizationPrincipal.Unauthenticated => _unauthenticated,
                    _ => _byCaller[identities.TryGetValue(from, out var id) ? id : services[from]],
                };
                if (list.Count == 0 || list[^1] != index)
                {
                    list.Add(index);
                }
            }
        }

        public AuthorizationRuleIndex Build()
        {
            var byCaller = new int[_byCaller.Length][];
            for (var i = 0; i < byCaller.Length; i++)
            {
                byCaller[i] = [.. _byCaller[i]];
            }

            return new AuthorizationRuleIndex([.. _rules], byCaller, [.. _any], [.. _unauthenticated]);
        }

        private static List<int>[] CreateLists(int count)
        {
            var lists = new List<int>[count];
            for (var i = 0; i < count; i++)
            {
                lists[i] = [];
            }

            return lists;
        }
    }
}
