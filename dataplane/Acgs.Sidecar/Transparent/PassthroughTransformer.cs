// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Acgs.Sidecar.Telemetry;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Acgs.Sidecar.Transparent;

/// <summary>
/// Request/response transforms of the outbound passthrough: YARP's defaults (headers copied, the
/// URI built from the original destination), the client's Host kept (as the outbound routes'
/// <c>RequestHeaderOriginalHost</c>), and the upstream timing the telemetry middleware subtracts for
/// the sidecar's added latency. Stateless and allocation-free when the base steps complete synchronously.
/// </summary>
internal sealed class PassthroughTransformer : HttpTransformer
{
    /// <summary>The shared instance.</summary>
    public static PassthroughTransformer Instance { get; } = new();

    private PassthroughTransformer()
    {
    }

    /// <inheritdoc />
    public override ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        var pending = base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        if (!pending.IsCompletedSuccessfully)
        {
            return AwaitRequestAsync(pending, httpContext, proxyRequest);
        }

        pending.GetAwaiter().GetResult();
        OnRequest(httpContext, proxyRequest);
        return default;
    }

    /// <inheritdoc />
    public override ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (httpContext.Features.Get<RequestTiming>() is { } timing)
        {
            timing.UpstreamEnd = Stopwatch.GetTimestamp();
        }

        return base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
    }

    private static async ValueTask AwaitRequestAsync(ValueTask pending, HttpContext httpContext, HttpRequestMessage proxyRequest)
    {
        await pending.ConfigureAwait(false);
        OnRequest(httpContext, proxyRequest);
    }

    private static void OnRequest(HttpContext httpContext, HttpRequestMessage proxyRequest)
    {
        var host = httpContext.Request.Host;
        if (host.HasValue)
        {
            proxyRequest.Headers.Host = host.Value;
        }

        if (httpContext.Features.Get<RequestTiming>() is { } timing)
        {
            timing.UpstreamStart = Stopwatch.GetTimestamp();
        }
    }
}
