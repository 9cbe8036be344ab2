// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Acgs.ControlPlane.Tracing;

/// <summary>
/// The server span of each API request (paths under <c>/api/</c> and the injection webhook's <c>/inject</c>; not
/// <c>/metrics</c>, <c>/health/*</c> or the status page): a child of the caller's <c>traceparent</c>/<c>tracestate</c>
/// when they are valid, else a new trace; sampled by <c>OTEL_TRACES_SAMPLER</c>. Named <c>{method} {route}</c> with
/// OpenTelemetry's HTTP server attributes.
/// </summary>
internal static class RequestSpans
{
    /// <summary>Handles one request.</summary>
    public static Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var request = context.Request;
        if (!request.Path.StartsWithSegments("/api", StringComparison.Ordinal) && !request.Path.StartsWithSegments("/inject", StringComparison.Ordinal))
        {
            return next(context);
        }

        var traceParent = request.Headers.TraceParent;
        var traceState = request.Headers.TraceState;
        var ambient = Activity.Current;
        if (!ActivityContext.TryParse(traceParent.Count == 1 ? traceParent[0] : null, traceState.Count == 1 ? traceState[0] : null, isRemote: true, out var parent))
        {
            Activity.Current = null; // a new trace: not a child of the host's own (unrecorded) request activity
        }

        var span = ControlPlaneTracing.Source.StartActivity(request.Method, ActivityKind.Server, parent);
        if (span is null)
        {
            Activity.Current = ambient;
            return next(context);
        }

        if (span.IsAllDataRequested)
        {
            span.SetTag("http.request.method", request.Method);
            span.SetTag("url.scheme", request.Scheme);
            span.SetTag("url.path", request.Path.Value);
            span.SetTag("server.address", request.Host.Host);
            span.SetTag("network.protocol.version", request.Protocol.StartsWith("HTTP/", StringComparison.Ordinal) ? request.Protocol[5..] : request.Protocol);
            span.SetTag("client.address", context.Connection.RemoteIpAddress?.ToString());
        }

        return TracedAsync(context, next, span);
    }

    private static async Task TracedAsync(HttpContext context, RequestDelegate next, Activity span)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            if (span.IsAllDataRequested)
            {
                span.SetTag("error.type", e.GetType().FullName);
                span.SetStatus(ActivityStatusCode.Error, e.Message);
            }

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
        span.SetTag("http.response.status_code", status);
        if (context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } route })
        {
            span.SetTag("http.route", route);
            span.DisplayName = context.Request.Method + " " + route;
        }

        if (status >= 500 && span.Status == ActivityStatusCode.Unset)
        {
            span.SetTag("error.type", status.ToString(CultureInfo.InvariantCulture));
            span.SetStatus(ActivityStatusCode.Error);
        }
    }
}
