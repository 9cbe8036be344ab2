// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.Faults;

/// <summary>One fault rule of the active snapshot, precomputed for the request path (no parsing or allocation per request).</summary>
internal sealed class CompiledFaultRule
{
    /// <summary>Creates a rule.</summary>
    public CompiledFaultRule(string name, string clusterId, PathString pathPrefix, double delayPercent, TimeSpan delay, double abortPercent, int abortStatus, long expiresAtUtcTicks)
    {
        Name = name;
        ClusterId = clusterId;
        PathPrefix = pathPrefix;
        DelayPercent = delayPercent;
        Delay = delay;
        AbortPercent = abortPercent;
        AbortStatus = abortStatus;
        ExpiresAtUtcTicks = expiresAtUtcTicks;
    }

    /// <summary>The rule's name (snapshot <c>name</c>, else <c>fault_rules[i]</c>).</summary>
    public string Name { get; }

    /// <summary>The YARP cluster id the rule applies to (the inbound cluster id for inbound rules).</summary>
    public string ClusterId { get; }

    /// <summary>Only requests under this prefix; empty = every path.</summary>
    public PathString PathPrefix { get; }

    /// <summary>Share of matching requests delayed, 0–100 (0 when the rule has no delay).</summary>
    public double DelayPercent { get; }

    /// <summary>The delay.</summary>
    public TimeSpan Delay { get; }

    /// <summary>Share of matching requests aborted, 0–100 (0 when the rule has no abort).</summary>
    public double AbortPercent { get; }

    /// <summary>The abort status.</summary>
    public int AbortStatus { get; }

    /// <summary>UTC ticks from which the rule no longer applies (<see cref="long.MaxValue"/> = never expires).</summary>
    public long ExpiresAtUtcTicks { get; }

    /// <summary>True when the rule applies to a request of <paramref name="clusterId"/> for <paramref name="path"/> at <paramref name="nowUtcTicks"/>.</summary>
    public bool Matches(string clusterId, PathString path, long nowUtcTicks) =>
        nowUtcTicks < ExpiresAtUtcTicks
        && string.Equals(ClusterId, clusterId, StringComparison.Ordinal)
        && (!PathPrefix.HasValue || path.StartsWithSegments(PathPrefix, StringComparison.OrdinalIgnoreCase));
}
