// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Authorization;

/// <summary>
/// One rule, precomputed when the snapshot is applied: its callers as a bit set of interned ids (plus the <c>"*"</c>
/// and <c>"unauthenticated"</c> flags), its path prefixes (trailing '/' trimmed) and its methods as a bit mask.
/// Matching is a few bit tests and ordinal span compares: no allocation.
/// </summary>
internal sealed class CompiledAuthorizationRule
{
    private readonly ulong[] _callers;
    private readonly bool _anyCaller;
    private readonly bool _unauthenticated;
    private readonly string[] _paths;
    private readonly int _methods;
    private long _lastLogged = long.MinValue;

    public CompiledAuthorizationRule(string id, AuthorizationCounters counters, ulong[] callers, bool anyCaller, bool unauthenticated, string[] paths, int methods)
    {
        Id = id;
        Counters = counters;
        _callers = callers;
        _anyCaller = anyCaller;
        _unauthenticated = unauthenticated;
        _paths = paths;
        _methods = methods;
    }

    /// <summary><c>&lt;policy&gt;#&lt;index&gt;</c>, or <c>default</c>.</summary>
    public string Id { get; }

    /// <summary>Its children of <c>acgs_authz_decisions_total</c>.</summary>
    public AuthorizationCounters Counters { get; }

    /// <summary>True when the rule covers this caller, path and method.</summary>
    public bool Matches(in AuthorizationCaller caller, ReadOnlySpan<char> path, int methodBit) =>
        MatchesCaller(caller) && (_methods == 0 || (_methods & methodBit) != 0) && MatchesPath(path);

    /// <summary>True at most once per <paramref name="interval"/> (in <paramref name="now"/>'s timestamp units): the log limiter.</summary>
    public bool ShouldLog(long now, long interval)
    {
        var last = Volatile.Read(ref _lastLogged);
        return (last == long.MinValue || now - last >= interval) && Interlocked.CompareExchange(ref _lastLogged, now, last) == last;
    }

    private bool MatchesCaller(in AuthorizationCaller caller)
    {
        if (_anyCaller)
        {
            return true;
        }

        return caller.Authenticated ? Has(caller.Identity) || Has(caller.Service) : _unauthenticated;
    }

    private bool Has(int id)
    {
        var word = id >> 6;
        return id >= 0 && word < _callers.Length && (_callers[word] & (1UL << (id & 63))) != 0;
    }

    private bool MatchesPath(ReadOnlySpan<char> path)
    {
        var paths = _paths;
        if (paths.Length == 0)
        {
            return true;
        }

        for (var i = 0; i < paths.Length; i++)
        {
            var prefix = paths[i];
            if (path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                && (path.Length == prefix.Length || prefix[^1] == '/' || path[prefix.Length] == '/'))
            {
                return true;
            }
        }

        return false;
    }
}
