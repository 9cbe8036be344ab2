// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Acgs.Sidecar.Resilience;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Acgs.Sidecar.Telemetry;

/// <summary>
/// YARP transforms that time the upstream exchange: the request transform runs last before YARP
/// sends the request, the response transform when the upstream's response headers arrived (or,
/// with a null response, when the request failed). They also carry the resilience handler's
/// per-request state (<see cref="UpstreamCall"/>): offered before the send, completed in the
/// response transform. Static callbacks, no captured state, no allocation.
/// </summary>
internal static class ProxyTimingTransforms
{
    /// <summary>Adds both transforms to a route.</summary>
    public static void Apply(TransformBuilderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.AddRequestTransform(OnRequest);
        context.AddResponseTransform(OnResponse);
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
        if (context.HttpContext.Features.Get<RequestTiming>() is { } timing)
        {
            timing.UpstreamEnd = Stopwatch.GetTimestamp();
            return timing.Call.CompleteAsync(context);
        }

        return ValueTask.CompletedTask;
    }
}
