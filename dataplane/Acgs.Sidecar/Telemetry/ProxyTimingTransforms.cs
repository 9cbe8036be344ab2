// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Acgs.Sidecar.Forwarding;
using Acgs.Sidecar.HashEnforcement;
using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.Resilience;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Acgs.Sidecar.Telemetry;

/// <summary>
/// YARP transforms that time the upstream exchange: the request transform runs last before YARP
/// sends the request, the response transform when the upstream's response headers arrived (or,
/// with a null response, when the request failed). They also carry the resilience handler's
/// per-request state (<see cref="UpstreamCall"/>): offered before the send, completed in the
/// response transform. On routes whose configured transforms leave the path and query alone (every
/// route the sidecar builds), the request transform also hands YARP the upstream <see cref="Uri"/>
/// of the previous identical request (<see cref="DestinationUris"/>) instead of a new one. Static
/// callbacks, no captured state, no allocation.
/// </summary>
internal static class ProxyTimingTransforms
{
    /// <summary>Configured transforms that change neither path nor query (what ProxyConfigBuilder sets).</summary>
    private static readonly string[] PathNeutralTransforms = ["RequestHeaderOriginalHost"];

    /// <summary>Adds both transforms to a route.</summary>
    public static void Apply(TransformBuilderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.AddRequestTransform(LeavesPathAndQuery(context.Route.Transforms) ? OnRequestReusingUri : OnRequest);
        context.AddResponseTransform(OnResponse);
    }

    /// <summary>True when no configured transform may rewrite the path or query (only known header transforms).</summary>
    public static bool LeavesPathAndQuery(IReadOnlyList<IReadOnlyDictionary<string, string>>? transforms)
    {
        if (transforms is null)
        {
            return true;
        }

        foreach (var transform in transforms)
        {
            foreach (var key in transform.Keys)
            {
                if (Array.IndexOf(PathNeutralTransforms, key) < 0)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static ValueTask OnRequestReusingUri(RequestTransformContext context)
    {
        context.ProxyRequest.RequestUri ??= DestinationUris.Reuse(context.DestinationPrefix, context.Path, context.HttpContext.Request.QueryString)
            ?? RawPathUri.For(context.HttpContext, context.DestinationPrefix, context.Path, context.Query.QueryString);
        return OnRequest(context);
    }

    private static ValueTask OnRequest(RequestTransformContext context)
    {
        if (context.HttpContext.Features.Get<RequestTiming>() is { } timing)
        {
            timing.UpstreamStart = Stopwatch.GetTimestamp();
            UpstreamCall.Offer(context.ProxyRequest, timing.Call); // the cluster's resilience handler records the outcome below
        }

        return ValueTask.CompletedTask;
    }

    private static ValueTask OnResponse(ResponseTransformContext context)
    {
        DestinationUris.Remember(context.ProxyResponse?.RequestMessage?.RequestUri);
        if (context.ProxyResponse is null && !context.HttpContext.Response.HasStarted
            && BodyTooLarge.IsBodyTooLarge(context.HttpContext.Features.Get<IForwarderErrorFeature>()?.Exception))
        {
            return BodyTooLargeAsync(context);
        }

        if (context.HttpContext.Features.Get<RequestTiming>() is { } timing)
        {
            timing.UpstreamEnd = Stopwatch.GetTimestamp();
            return timing.Call.CompleteAsync(context);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>A chunked body went over the limit while forwarded: the upstream request is aborted, the client gets 413.</summary>
    private static async ValueTask BodyTooLargeAsync(ResponseTransformContext context)
    {
        if (context.HttpContext.Features.Get<RequestTiming>() is { } timing)
        {
            timing.UpstreamEnd = Stopwatch.GetTimestamp();
            await timing.Call.CompleteAsync(context).ConfigureAwait(false);
        }

        if (context.HttpContext.Response.HasStarted)
        {
            return;
        }

        var services = context.HttpContext.RequestServices;
        var limits = (ListenerLimits?)services.GetService(typeof(ListenerLimits)) ?? new ListenerLimits();
        context.SuppressResponseBody = true;
        context.HttpContext.Features.Set<IForwarderErrorFeature>(null);
        await BodyTooLarge.WriteAsync(context.HttpContext, limits.MaxRequestBodyBytes, (ClientFaultLog?)services.GetService(typeof(ClientFaultLog))).ConfigureAwait(false);
    }
}
