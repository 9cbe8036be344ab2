// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using Acgs.Sidecar.Telemetry;
using Prometheus;

namespace Acgs.Sidecar.Authorization;

/// <summary>
/// <c>acgs_authz_decisions_total{result,rule}</c>: <c>result</c> allow, deny or dry_run_deny; <c>rule</c> a rule id of the
/// snapshot (<c>&lt;policy&gt;#&lt;index&gt;</c>), <c>default</c> when no rule decided, or <c>other</c> once
/// <see cref="MaxRuleLabels"/> distinct rule ids have been seen in the process's life (bounded cardinality).
/// Children are resolved when a snapshot is applied, never per request.
/// </summary>
internal sealed class AuthorizationMetrics
{
    /// <summary>Most distinct rule labels.</summary>
    public const int MaxRuleLabels = 512;

    /// <summary>The label of decisions no rule made.</summary>
    public const string DefaultRule = "default";

    /// <summary>The label of rules past <see cref="MaxRuleLabels"/>.</summary>
    public const string OtherRule = "other";

    private readonly ConcurrentDictionary<string, AuthorizationCounters> _rules = new(StringComparer.Ordinal);
    private readonly Counter _decisions;
    private readonly AuthorizationCounters _other;

    public AuthorizationMetrics(SidecarMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _decisions = metrics.Factory.CreateCounter(
            "acgs_authz_decisions_total",
            "Authorization decisions on inbound requests and bus messages, by result (allow, deny, dry_run_deny) and deciding rule (<policy>#<index>, default, other).",
            new CounterConfiguration { LabelNames = ["result", "rule"] });
        Default = new AuthorizationCounters(_decisions, DefaultRule);
        _other = new AuthorizationCounters(_decisions, OtherRule);
    }

    /// <summary><c>acgs_authz_decisions_total</c>.</summary>
    public Counter Decisions => _decisions;

    /// <summary>The children of decisions no rule made.</summary>
    public AuthorizationCounters Default { get; }

    /// <summary>The children of <paramref name="ruleId"/> (created once; <c>other</c> past the cap). Apply time only.</summary>
    public AuthorizationCounters For(string ruleId)
    {
        if (_rules.TryGetValue(ruleId, out var counters))
        {
            return counters;
        }

        return _rules.Count >= MaxRuleLabels ? _other : _rules.GetOrAdd(ruleId, static (id, decisions) => new AuthorizationCounters(decisions, id), _decisions);
    }
}
