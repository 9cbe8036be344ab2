// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Config;
using Acgs.Sidecar.HashEnforcement;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;

namespace Acgs.Sidecar.Faults;

/// <summary>
/// The fault-injection step of the proxy pipeline (snapshot <c>fault_rules</c>, docs/sidecar-config.md). Runs
/// after YARP picked the route and cluster: the first rule for that cluster (the inbound cluster for
/// inbound rules) whose path prefix matches and that has not expired may delay the request (through
/// <see cref="TimeProvider"/>) and/or abort it with its status and a problem+json body
/// (<c>urn:acgs:fault-injected</c>). Injected responses carry <c>x-acgs-fault: delay</c>, <c>abort</c> or
/// <c>delay,abort</c>; every injection increments <c>acgs_faults_injected_total{kind}</c>.
/// With no rules in the active snapshot the cost is one field read and one branch: no allocation, no lookup.
/// </summary>
internal sealed class FaultInjectionMiddleware
{
    /// <summary>The response header marking an injected fault.</summary>
    public const string HeaderName = "x-acgs-fault";

    /// <summary>Problem type of an injected abort.</summary>
    public const string ProblemType = "urn:acgs:fault-injected";

    private readonly RequestDelegate _next;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly FaultMetrics _metrics;
    private volatile FaultRuleSet? _rules;

    /// <summary>Creates the step; it follows <paramref name="config"/>'s applied snapshots.</summary>
    public FaultInjectionMiddleware(RequestDelegate next, ConfigApplier config, TimeProvider time, FaultRandom random, FaultMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(metrics);
        _next = next;
        _time = time;
        _random = random.Random;
        _metrics = metrics;
        config.Applied += active => _rules = active.Faults;
        _rules = config.CurrentOrNull?.Faults;
    }

    /// <summary>The step.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var rules = _rules;
        if (rules is null)
        {
            return _next(context);
        }

        return InvokeWithRulesAsync(context, rules);
    }

    private Task InvokeWithRulesAsync(HttpContext context, FaultRuleSet rules)
    {
        var cluster = context.Features.Get<IReverseProxyFeature>()?.Cluster?.Config.ClusterId;
        var rule = cluster is null ? null : rules.Find(cluster, context.Request.Path, _time.GetUtcNow().UtcTicks);
        if (rule is null)
        {
            return _next(context);
        }

        var delay = rule.DelayPercent > 0 && _random.NextDouble() * 100 < rule.DelayPercent;
        var abort = rule.AbortPercent > 0 && _random.NextDouble() * 100 < rule.AbortPercent;
        if (!delay && !abort)
        {
            return _next(context);
        }

        return InjectAsync(context, rule, delay, abort);
    }

    private async Task InjectAsync(HttpContext context, CompiledFaultRule rule, bool delay, bool abort)
    {
        if (delay)
        {
            _metrics.Delays.Inc();
            Tracing.MeshTracing.FaultInjected(rule.Name, "delay");
            await Task.Delay(rule.Delay, _time, context.RequestAborted).ConfigureAwait(false);
        }

        if (abort)
        {
            _metrics.Aborts.Inc();
            Tracing.MeshTracing.FaultInjected(rule.Name, "abort");
            context.Response.Headers[HeaderName] = delay ? "delay,abort" : "abort";
            await ProblemResponse.WriteAsync(context, rule.AbortStatus, ProblemType, "Fault injected",
                "The sidecar aborted this request on purpose (fault injection rule).", ("rule", rule.Name)).ConfigureAwait(false);
            return;
        }

        context.Response.Headers[HeaderName] = "delay";
        await _next(context).ConfigureAwait(false);
    }
}
