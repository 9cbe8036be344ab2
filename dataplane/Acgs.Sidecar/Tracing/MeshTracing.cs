// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;

namespace Acgs.Sidecar.Tracing;

/// <summary>
/// The sidecar's <see cref="ActivitySource"/> and the marks other features put on the current span. Every helper
/// starts with <c>Activity.Current</c>: while tracing is off there is none, so a call costs one read and allocates
/// nothing; spans that are not recorded (sampled out) get nothing either.
/// </summary>
internal static class MeshTracing
{
    /// <summary>The source's name (the one the tracer provider listens to).</summary>
    public const string SourceName = "Acgs.Sidecar";

    /// <summary>The sidecar's spans.</summary>
    public static ActivitySource Source { get; } = new(SourceName);

    /// <summary>Tags the current span with the constitutional-hash check's outcome (<c>acgs.hash_check</c>).</summary>
    public static void HashChecked(string outcome)
    {
        if (Activity.Current is { IsAllDataRequested: true } span)
        {
            span.SetTag(TraceAttributes.HashCheck, outcome);
        }
    }

    /// <summary>
    /// Tags the current span with the authorization decision (<c>acgs.authorization</c>: <c>allow</c>, <c>deny</c>,
    /// <c>dry_run_deny</c>) and the rule that made it (<c>acgs.authorization.rule</c>; <c>default</c> for the default action).
    /// </summary>
    public static void AuthorizationDecided(string outcome, string rule)
    {
        if (Activity.Current is { IsAllDataRequested: true } span)
        {
            span.SetTag(TraceAttributes.Authorization, outcome);
            span.SetTag(TraceAttributes.AuthorizationRule, rule);
        }
    }

    /// <summary>An <c>acgs.authorization.denied</c> event (or <c>.dry_run_denied</c>) on the current span.</summary>
    public static void AuthorizationDenied(string rule, bool dryRun)
    {
        if (Activity.Current is { IsAllDataRequested: true } span)
        {
            span.AddEvent(new ActivityEvent(
                dryRun ? "acgs.authorization.dry_run_denied" : "acgs.authorization.denied",
                tags: new ActivityTagsCollection { [TraceAttributes.Rule] = rule }));
        }
    }

    /// <summary>An <c>acgs.circuit_open</c> event on the current span: the breaker of <paramref name="cluster"/> refused the call.</summary>
    public static void BreakerRejected(string cluster)
    {
        if (Activity.Current is { IsAllDataRequested: true } span)
        {
            span.AddEvent(new ActivityEvent("acgs.circuit_open", tags: new ActivityTagsCollection { [TraceAttributes.Cluster] = cluster }));
        }
    }

    /// <summary>An <c>acgs.fault_injected</c> event on the current span (<paramref name="kind"/>: delay, abort).</summary>
    public static void FaultInjected(string rule, string kind)
    {
        if (Activity.Current is { IsAllDataRequested: true } span)
        {
            span.AddEvent(new ActivityEvent(
                "acgs.fault_injected",
                tags: new ActivityTagsCollection { [TraceAttributes.Rule] = rule, [TraceAttributes.FaultKind] = kind }));
        }
    }
}
