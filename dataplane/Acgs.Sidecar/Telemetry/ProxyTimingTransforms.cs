// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Acgs.Sidecar.Telemetry;

/// <summary>
/// YARP transforms that time the upstream exchange: the request transform runs last before YARP
/// sends the request, the response transform when the upstream's response headers arrived. Static
/// callbacks, no captured state, no allocation.
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
        }

        return ValueTask.CompletedTask;
    }

    private static ValueTask OnResponse(ResponseTransformContext context)
    {
        if (context.HttpContext.Features.Get<RequestTiming>() is { } timing)
        {
            timing.UpstreamEnd = Stopwatch.GetTimestamp();
        }

        return ValueTask.CompletedTask;
    }
}
