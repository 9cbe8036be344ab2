// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Model;

namespace Acgs.Sidecar.Tracing;

/// <summary>
/// The server span of each request on the inbound and outbound listeners (<c>inbound</c>, <c>outbound</c>): a child of
/// the caller's <c>traceparent</c>/<c>tracestate</c> when they come in (the sampled flag is the parent-based sampler's
/// input), a new trace when they do not. The sampling decision is taken here, from the header's text, before any span
/// exists: a request that is not sampled gets no <see cref="Activity"/> at all (its caller's <c>traceparent</c> goes
/// on unchanged; a new unsampled trace gets a <c>traceparent</c> with flags <c>00</c> so later hops keep the
/// decision). Only in the pipeline while tracing is on (<see cref="UseIfEnabled"/>).
/// </summary>
internal sealed class TracingMiddleware
{
    private const string TraceStateHeader = "tracestate";
    private readonly RequestDelegate _next;
    private readonly ListenerPorts _ports;
    private readonly string _service;
    private readonly TraceDecision _decision;

    /// <summary>Creates the middleware; <paramref name="decision"/> is the host's (it follows the snapshots' Tracing policy), else one of <paramref name="tracing"/> alone.</summary>
    public TracingMiddleware(RequestDelegate next, ListenerPorts ports, Config.SidecarOptions options, TracingOptions tracing, TraceDecision? decision = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _next = next;
        _ports = ports;
        _service = options.ServiceName;
        _decision = decision ?? new TraceDecision(tracing);
    }

    /// <summary>Adds the middleware when tracing is on; while it is off the pipeline holds nothing of tracing.</summary>
    public static void UseIfEnabled(IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ApplicationServices.GetService<TracingOptions>() is { Enabled: true })
        {
            app.UseMiddleware<TracingMiddleware>();
        }
    }

    /// <summary>Handles one request.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var listener = _ports.Classify(context.Connection.LocalPort);
        if (listener is not (ListenerKind.Inbound or ListenerKind.Outbound))
        {
            return _next(context);
        }

        var headers = context.Request.Headers;
        var traceParent = headers.TraceParent;
        var incoming = traceParent.Count == 1 ? traceParent[0] : null;
        Activity? span;
        if (TraceParent.TryRead(incoming, out var parentSampled, out var head))
        {
            if (!_decision.WithParent(parentSampled, head))
            {
                return _next(context); // not sampled here: the caller's traceparent goes on as it came, no span
            }

            var traceState = headers.TraceState;
            _ = ActivityContext.TryParse(incoming, traceState.Count == 1 ? traceState[0] : null, isRemote: true, out var parent);
            span = MeshTracing.Source.StartActivity(Name(listener), ActivityKind.Server, parent);
        }
        else
        {
            TraceParent.NewIds(out var traceIdHigh, out var traceIdLow, out var spanId);
            headers.Remove(TraceStateHeader); // a trace restarts: the state of a malformed one goes with it
            if (!_decision.RootsAlwaysSampled && !_decision.Root(unchecked((long)traceIdHigh)))
            {
                // A new trace, not sampled: every later hop learns the decision from the flags of the ids it was taken on.
                headers.TraceParent = TraceParent.NewUnsampled(traceIdHigh, traceIdLow, spanId);
                return _next(context);
            }

            // The span's trace is the one the decision was taken on (a context without a span id starts a root, as the
            // runtime does for a trace id a sampler asked for), so a later hop's ratio decides alike on it.
            span = MeshTracing.Source.StartActivity(Name(listener), ActivityKind.Server, TraceParent.RootContext(traceIdHigh, traceIdLow));
        }

        if (span is null)
        {
            return _next(context);
        }

        if (span.IsAllDataRequested)
        {
            var request = context.Request;
            span.SetTag(TraceAttributes.Method, request.Method);
            span.SetTag(TraceAttributes.UrlScheme, request.Scheme);
            span.SetTag(TraceAttributes.UrlPath, request.Path.Value);
            span.SetTag(TraceAttributes.ServerAddress, request.Host.Host);
            span.SetTag(TraceAttributes.ProtocolVersion, ProtocolVersion(request.Protocol));
            span.SetTag(TraceAttributes.ClientAddress, context.Connection.RemoteIpAddress?.ToString());
            span.SetTag(TraceAttributes.Service, _service);
            span.SetTag(TraceAttributes.Listener, Name(listener));
        }

        return InvokeTracedAsync(context, span);
    }

    private async Task InvokeTracedAsync(HttpContext context, Activity span)
    {
        try
        {
            await _next(context).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Failed(span, e);
            throw;
        }
        finally
        {
            if (span.IsAllDataRequested)
            {
                Complete(context, span);
            }

            span.Dispose();
        }
    }

    private static void Complete(HttpContext context, Activity span)
    {
        var status = context.Response.StatusCode;
        span.SetTag(TraceAttributes.StatusCode, status);
        if (status >= 500 && span.Status == ActivityStatusCode.Unset)
        {
            span.SetTag(TraceAttributes.ErrorType, status.ToString(System.Globalization.CultureInfo.InvariantCulture));
            span.SetStatus(ActivityStatusCode.Error);
        }

        if (context.Features.Get<IReverseProxyFeature>()?.Cluster?.Config.ClusterId is { } cluster)
        {
            span.SetTag(TraceAttributes.Cluster, cluster);
        }

        span.SetTag(TraceAttributes.Caller, context.Features.Get<PeerIdentityFeature>()?.SpiffeId ?? PeerIdentityMiddleware.Unauthenticated);
    }

    private static void Failed(Activity span, Exception e)
    {
        if (span.IsAllDataRequested)
        {
            span.SetTag(TraceAttributes.ErrorType, e.GetType().FullName);
            span.SetStatus(ActivityStatusCode.Error, e.Message);
        }
    }

    private static string Name(ListenerKind listener) => listener == ListenerKind.Inbound ? "inbound" : "outbound";

    private static string ProtocolVersion(string protocol) => protocol switch
    {
        "HTTP/1.1" => "1.1",
        "HTTP/2" => "2",
        "HTTP/3" => "3",
        "HTTP/1.0" => "1.0",
        _ => protocol,
    };
}
