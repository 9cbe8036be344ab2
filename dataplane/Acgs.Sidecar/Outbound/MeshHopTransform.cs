// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Acgs.Sidecar.Config;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Acgs.Sidecar.Outbound;

/// <summary>
/// The per-request protocol choice of the mTLS hop (<c>ACGS_MTLS_HOP_PROTOCOL=auto</c>, the default): a meshed
/// cluster's requests leave as HTTP/1.1 (its request config), and this request transform raises one that arrived as
/// HTTP/2 (gRPC, any h2 or h2c caller) to HTTP/2, so the cluster's <see cref="Resilience.MeshHopHandler"/> sends it over
/// the HTTP/2 pool and everything else over the HTTP/1.1 warm pool. A WebSocket over HTTP/2 (extended CONNECT) stays
/// as YARP built it (an HTTP/1.1 upgrade). Added only to routes of meshed clusters; a static callback: one protocol
/// reference compare, no allocation.
/// </summary>
internal static class MeshHopTransform
{
    /// <summary>Adds the transform to a route whose cluster is meshed when the hop is chosen per request.</summary>
    public static void Apply(TransformBuilderContext context, MeshHopProtocol hop)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (hop == MeshHopProtocol.Auto && context.Cluster?.Metadata is { } metadata && metadata.ContainsKey(ProxyConfigBuilder.IdentityMetadataKey))
        {
            context.AddRequestTransform(OnRequest);
        }
    }

    /// <summary>Raises the upstream request of an HTTP/2 caller to HTTP/2 (internal for tests).</summary>
    internal static ValueTask OnRequest(RequestTransformContext context)
    {
        var incoming = context.HttpContext;
        if (HttpProtocol.IsHttp2(incoming.Request.Protocol) && incoming.Features.Get<IHttpExtendedConnectFeature>() is not { IsExtendedConnect: true })
        {
            context.ProxyRequest.Version = HttpVersion.Version20;
        }

        return ValueTask.CompletedTask;
    }
}
