// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Authorization;

/// <summary>
/// One rule, precomputed when the snapshot is applied: its path prefixes (trailing '/' trimmed, ASCII lower case) and its methods as a
/// bit mask; its callers are in the <see cref="AuthorizationRuleIndex"/> that holds it. Matching is a bit test and
/// ordinal span compares: no allocation.
/// </summary>
internal sealed class CompiledAuthorizationRule
{
    private readonly string[] _paths;
    private readonly int _methods;
    private long _lastLogged = long.MinValue;

    public CompiledAuthorizationRule(string id, AuthorizationCounters counters, string[] paths, int methods)
    {
        Id = id;
        Counters = counters;
        _paths = paths;
        _methods = methods;
    }

    /// <summary><c>&lt;policy&gt;#&lt;index&gt;</c>, or <c>default</c>.</summary>
    public string Id { get; }

    /// <summary>Its children of <c>acgs_authz_decisions_total</c>.</summary>
    public AuthorizationCounters Counters { get; }

    /// <summary>True when the rule covers this path and method (its callers are checked by the index).</summary>
    public bool MatchesRequest(ReadOnlySpan<char> path, int methodBit) => (_methods == 0 || (_methods & methodBit) != 0) && MatchesPath(path);

    /// <summary>True at most once per <paramref name="interval"/> (in <paramref name="now"/>'s timestamp units): the log limiter.</summary>
    public bool ShouldLog(long now, long interval)
    {
        var last = Volatile.Read(ref _lastLogged);
        return (last == long.MinValue || now - last >= interval) && Interlocked.CompareExchange(ref _lastLogged, now, last) == last;
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
            if (path.Length >= prefix.Length && StartsWithAsciiIgnoreCase(path, prefix)
                && (path.Length == prefix.Length || prefix[^1] == '/' || path[prefix.Length] == '/'))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="path"/> starts with <paramref name="lowerPrefix"/> (ASCII lower case), ASCII letters compared case-insensitively.</summary>
    private static bool StartsWithAsciiIgnoreCase(ReadOnlySpan<char> path, string lowerPrefix)
    {
        for (var i = 0; i < lowerPrefix.Length; i++)
        {
            var c = path[i];
            var p = lowerPrefix[i];
            if (c != p && ((uint)((c | 0x20) - 'a') > 'z' - 'a' || (c | 0x20) != p))
            {
                return false;
            }
        }

        return true;
    }
}
