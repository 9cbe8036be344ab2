// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Authorization;

/// <summary>
/// The rules of one kind (deny or allow) of one evaluation, indexed by caller when the snapshot is applied: for every
/// interned caller id the rules that name it, and the rules naming <c>"*"</c> and <c>"unauthenticated"</c>, each list in
/// rule order. A request tries only the rules that can match its caller, so the cost follows the rules naming the
/// caller, not the number of rules. The first matching rule in rule order wins (a stable rule id in answers and metrics).
/// </summary>
internal sealed class AuthorizationRuleIndex
{
    private readonly CompiledAuthorizationRule[] _rules;
    private readonly int[][] _byCaller;
    private readonly int[] _any;
    private readonly int[] _unauthenticated;

    public AuthorizationRuleIndex(CompiledAuthorizationRule[] rules, int[][] byCaller, int[] any, int[] unauthenticated)
    {
        _rules = rules;
        _byCaller = byCaller;
        _any = any;
        _unauthenticated = unauthenticated;
    }

    /// <summary>True when the index holds no rule.</summary>
    public bool IsEmpty => _rules.Length == 0;

    /// <summary>The first rule (in rule order) matching the request, or null.</summary>
    public CompiledAuthorizationRule? FirstMatch(in AuthorizationCaller caller, ReadOnlySpan<char> path, int methodBit)
    {
        var best = int.MaxValue;
        if (caller.Authenticated)
        {
            if ((uint)caller.Identity < (uint)_byCaller.Length)
            {
                best = Scan(_byCaller[caller.Identity], best, path, methodBit);
            }

            if ((uint)caller.Service < (uint)_byCaller.Length)
            {
                best = Scan(_byCaller[caller.Service], best, path, methodBit);
            }
        }
        else
        {
            best = Scan(_unauthenticated, best, path, methodBit);
        }

        best = Scan(_any, best, path, methodBit);
        return best == int.MaxValue ? null : _rules[best];
    }

    private int Scan(int[] candidates, int best, ReadOnlySpan<char> path, int methodBit)
    {
        foreach (var index in candidates)
        {
            if (index >= best)
            {
                return best;
            }

            if (_rules[index].MatchesRequest(path, methodBit))
            {
                return index;
            }
        }

        return best;
    }
}
