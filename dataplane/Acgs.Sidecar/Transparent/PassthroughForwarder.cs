// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.HashEnforcement;
using Acgs.Sidecar.Telemetry;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Acgs.Sidecar.Transparent;

/// <summary>
/// The outbound passthrough (Istio's <c>PassthroughCluster</c>): a request that reached the outbound
/// listener through an iptables redirect and whose authority matches no route is forwarded to the
/// connection's original destination, with YARP's <see cref="IHttpForwarder"/>. It has already passed
/// hash enforcement (stamping) like every outbound request, and it is counted as cluster
/// <see cref="ClusterId"/> on the outbound listener. Unknown destinations share no circuit breaker,
/// retry or timeout settings (there is no per-destination config to take them from); connect errors
/// answer 502 and upstream timeouts 504, as YARP's forwarder does.
/// </summary>
internal sealed class PassthroughForwarder
{
    /// <summary>The cluster label of passthrough requests in the metrics.</summary>
    public const string ClusterId = "PassthroughCluster";

    private static readonly ForwarderRequestConfig RequestConfig = new()
    {
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
    };

    private readonly IHttpForwarder _forwarder;
    private readonly HttpMessageInvoker _client;
    private readonly Endpoint _endpoint;

    /// <summary>Creates the forwarder with its own HTTP client (no cluster: no breaker, retry or timeout handler).</summary>
    public PassthroughForwarder(IHttpForwarder forwarder, IForwarderHttpClientFactory clients, TelemetryRegistry telemetry)
    {
        ArgumentNullException.ThrowIfNull(forwarder);
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(telemetry);
        _forwarder = forwarder;
        _client = clients.CreateClient(new ForwarderHttpClientContext
        {
            ClusterId = string.Empty,
            OldConfig = HttpClientConfig.Empty,
            OldMetadata = null,
            OldClient = null,
            NewConfig = HttpClientConfig.Empty,
            NewMetadata = null,
        });
        _endpoint = new Endpoint(
            null,
            new EndpointMetadataCollection(ListenerMetadata.Outbound, telemetry.For(ListenerKind.Outbound, ClusterId)),
            "outbound passthrough");
    }

    /// <summary>Forwards <paramref name="context"/> to <paramref name="destination"/>'s original destination.</summary>
    public Task ForwardAsync(HttpContext context, OriginalDestinationFeature destination)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(destination);
        context.SetEndpoint(_endpoint); // the telemetry middleware labels the request with this endpoint's cluster
        var sending = _forwarder.SendAsync(context, destination.DestinationPrefix, _client, RequestConfig, PassthroughTransformer.Instance);
        return sending.IsCompletedSuccessfully ? Task.CompletedTask : AwaitAsync(sending);
    }

    /// <summary>The answer when passthrough is off: 404 <c>urn:acgs:no-route</c> naming the host and the original destination.</summary>
    public static Task RefuseAsync(HttpContext context, OriginalDestinationFeature destination, string host)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(destination);
        return ProblemResponse.WriteAsync(
            context,
            StatusCodes.Status404NotFound,
            ProblemResponse.NoRouteType,
            "No route",
            "The outbound listener has no route for this host, and passthrough to unknown destinations is off (ACGS_OUTBOUND_PASSTHROUGH=0).",
            ("host", host),
            ("original_destination", destination.Authority));
    }

    private static async Task AwaitAsync(ValueTask<ForwarderError> sending) => await sending.ConfigureAwait(false);
}
