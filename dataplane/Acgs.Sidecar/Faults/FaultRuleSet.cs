// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.Contracts.Config;
using Acgs.Sidecar.Inbound;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.Faults;

/// <summary>The delay/abort fault rules of one applied snapshot, in snapshot order (force-open rules are <see cref="ForcedOpenBreakers"/>'s); built once per apply.</summary>
internal sealed class FaultRuleSet
{
    private FaultRuleSet(CompiledFaultRule[] rules) => Rules = rules;

    /// <summary>The rules; the first that matches a request decides its faults.</summary>
    public CompiledFaultRule[] Rules { get; }

    /// <summary>The delay/abort rules of a validated <paramref name="snapshot"/>, or null when it has none (the request path then pays one branch).</summary>
    public static FaultRuleSet? From(ConfigSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.FaultRules.IsDefaultOrEmpty)
        {
            return null;
        }

        var count = 0;
        foreach (var rule in snapshot.FaultRules)
        {
            count += rule.ForceOpenBreaker ? 0 : 1;
        }

        if (count == 0)
        {
            return null; // only force-open rules: ForcedOpenBreakers holds those breakers, the request path has nothing to do
        }

        var rules = new CompiledFaultRule[count];
        var inbound = InboundCluster.IdFor(snapshot.ServiceName);
        var n = 0;
        for (var i = 0; i < snapshot.FaultRules.Length; i++)
        {
            var rule = snapshot.FaultRules[i];
            if (rule.ForceOpenBreaker)
            {
                continue;
            }

            var prefix = rule.PathPrefix is null or "/" ? PathString.Empty : new PathString(rule.PathPrefix.TrimEnd('/'));
            rules[n++] = new CompiledFaultRule(
                rule.Name ?? "fault_rules[" + i.ToString(CultureInfo.InvariantCulture) + "]",
                rule.Inbound ? inbound : rule.Cluster!,
                prefix,
                rule.Delay is { } delay ? delay.Percentage ?? 100 : 0,
                rule.Delay is { } d ? TimeSpan.FromMilliseconds(d.FixedDelayMs) : TimeSpan.Zero,
                rule.Abort is { } abort ? abort.Percentage ?? 100 : 0,
                rule.Abort?.HttpStatus ?? 0,
                rule.ExpiresAt is { } expires ? expires.UtcTicks : long.MaxValue);
        }

        return new FaultRuleSet(rules);
    }

    /// <summary>The first rule matching the request, or null.</summary>
    public CompiledFaultRule? Find(string clusterId, PathString path, long nowUtcTicks)
    {
        foreach (var rule in Rules)
        {
            if (rule.Matches(clusterId, path, nowUtcTicks))
            {
                return rule;
            }
        }

        return null;
    }
}
