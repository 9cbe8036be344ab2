// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.CircuitBreaker;
using Acgs.Sidecar.Telemetry;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Acgs.Sidecar.Resilience;

/// <summary>
/// YARP's forwarder client factory with a <see cref="ClusterResilienceHandler"/> for the
/// cluster in front of YARP's own <see cref="SocketsHttpHandler"/> (whose configuration is left
/// as YARP makes it). YARP builds one client per cluster and rebuilds it when the cluster's HTTP
/// client config changes; resilience settings are read per request from the
/// <see cref="IClusterResilienceSource"/>, so they change without a new client.
/// </summary>
internal sealed class ResilienceForwarderHttpClientFactory : ForwarderHttpClientFactory
{
    private readonly CircuitBreakerRegistry _breakers;
    private readonly IClusterResilienceSource _settings;
    private readonly TimeProvider _time;
    private readonly ILogger<ClusterResilienceHandler> _handlerLogger;
    private readonly TimeoutSourcePool _timeouts;
    private readonly ResilienceMetrics _metrics;
    private readonly BreakerMetrics _breakerMetrics;
    private readonly Identity.MutualTlsRuntime? _mutualTls;
    private readonly bool _tracing;
    private readonly TimeSpan _upstreamIdleTimeout;
    private readonly Config.SidecarOptions? _options;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ClusterResilienceHandler> _handlers = new(StringComparer.Ordinal);

    /// <summary>Creates the factory.</summary>
    public ResilienceForwarderHttpClientFactory(
        CircuitBreakerRegistry breakers,
        IClusterResilienceSource settings,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory,
        ResilienceMetrics metrics,
        BreakerMetrics breakerMetrics,
        Identity.MutualTlsRuntime? mutualTls = null,
        Tracing.TracingOptions? tracing = null,
        Hosting.ListenerLimits? limits = null,
        Config.SidecarOptions? options = null)
        : base(CreateLogger(loggerFactory))
    {
        _options = options;
        _upstreamIdleTimeout = (limits ?? new Hosting.ListenerLimits()).UpstreamIdleTimeout;
        _tracing = tracing is { Enabled: true };
        _mutualTls = mutualTls;
        ArgumentNullException.ThrowIfNull(breakers);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(breakerMetrics);
        _breakers = breakers;
        _metrics = metrics;
        _breakerMetrics = breakerMetrics;
        _settings = settings;
        _time = timeProvider;
        _handlerLogger = loggerFactory.CreateLogger<ClusterResilienceHandler>();
        _timeouts = new TimeoutSourcePool(timeProvider, Math.Max(16, Environment.ProcessorCount * 16));
    }

    /// <summary>How long a pooled mTLS connection is reused before new requests go to a fresh one (a new handshake).</summary>
    public static readonly TimeSpan MutualTlsConnectionLifetime = TimeSpan.FromMinutes(5);

    /// <inheritdoc />
    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(handler);
        base.ConfigureHandler(context, handler);
        // Below the upstream's keep-alive timeout (a peer sidecar's is 60 s by default): otherwise the upstream may
        // close an idle connection just as a request is written to it, and that request fails with a 502.
        handler.PooledConnectionIdleTimeout = _upstreamIdleTimeout;
        if (_tracing && !string.IsNullOrEmpty(context.ClusterId))
        {
            // The client span handler writes traceparent/tracestate itself; HttpClient's own propagation would start a
            // second, unexported activity and put its id on the wire instead.
            handler.ActivityHeadersPropagator = null;
        }
        if (_mutualTls is not null && context.NewMetadata is { } metadata
            && metadata.TryGetValue(Config.ProxyConfigBuilder.IdentityMetadataKey, out var expected))
        {
            handler.SslOptions = Identity.OutboundTls.ClientOptions(_mutualTls, expected);
            handler.EnableMultipleHttp2Connections = true; // HTTP/2 hop (ACGS_MTLS_HOP_PROTOCOL): more than one connection when streams run out
            handler.PooledConnectionLifetime = MutualTlsConnectionLifetime; // renewed certificates (and a new trust bundle) reach long-lived connections
        }
    }

    /// <inheritdoc />
    protected override HttpMessageHandler WrapHandler(ForwarderHttpClientContext context, HttpMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(context);
        var inner = base.WrapHandler(context, handler);
        if (string.IsNullOrEmpty(context.ClusterId))
        {
            return inner; // not a cluster client (direct IHttpForwarder use): nothing to protect
        }

        if (WarmPoolFor(context, handler) is { } pools)
        {
            inner = new WarmPoolHandler(inner, CopyOf((SocketsHttpHandler)handler, pools.Overflow), pools, _time, _mutualTls!.Identity.Metrics.Pool);
        }

        if (_options is { MeshHop: Config.MeshHopProtocol.Auto } && IsMeshed(context) && handler is SocketsHttpHandler sockets)
        {
            // HTTP/2 requests (MeshHopTransform) over a pool of their own with the same TLS settings beside the HTTP/1.1 one,
            // without its connection bound (multiplexed, as the h2 hop).
            inner = new MeshHopHandler(inner, CopyOf(sockets, int.MaxValue));
        }

        if (_tracing)
        {
            inner = new Tracing.ClientSpanHandler(context.ClusterId, inner); // one client span per attempt, below the retries
        }

        // The metric children are resolved here, once per cluster client, never per request.
        var wrapped = new ClusterResilienceHandler(
            context.ClusterId, _breakers, _settings, _timeouts, _time, _handlerLogger, _metrics.For(context.ClusterId), inner);
        _breakerMetrics.Publish(wrapped.Breaker);
        _handlers[context.ClusterId] = wrapped; // the newest client's handler, for the sidecar's own forwarding path
        return wrapped;
    }

    /// <summary>
    /// True when tracing is on: every cluster client has a <see cref="Tracing.ClientSpanHandler"/> and no
    /// <c>ActivityHeadersPropagator</c> (so HttpClient neither starts an activity of its own nor writes trace headers).
    /// </summary>
    internal bool ClientSpans => _tracing;

    /// <summary>The resilience handler of the newest client built for <paramref name="clusterId"/>, or null.</summary>
    internal ClusterResilienceHandler? HandlerFor(string clusterId) => _handlers.GetValueOrDefault(clusterId);

    // The HTTP/1.1 mTLS hop with a bounded pool and an overflow wait: its pool sizes, else null.
    private WarmPoolSizes? WarmPoolFor(ForwarderHttpClientContext context, HttpMessageHandler handler) =>
        _options is { MeshHop: not Config.MeshHopProtocol.H2, MeshOverflowAfter.Ticks: > 0 } options && handler is SocketsHttpHandler
            && context.NewConfig.MaxConnectionsPerServer is > 0 and var warm && IsMeshed(context)
            ? new WarmPoolSizes(warm, options.MeshOverflowAfter, options.MeshOverflowMaxConnections, options.MeshOverflowOpenRate, options.MeshOverflowOpenBurst)
            : null;

    // A cluster whose destinations are meshed sidecars, called over mTLS.
    private bool IsMeshed(ForwarderHttpClientContext context) =>
        _mutualTls is not null && context.NewMetadata is { } metadata && metadata.ContainsKey(Config.ProxyConfigBuilder.IdentityMetadataKey);

    // Another pool with the warm pool's settings (TLS and peer check included) and a connection limit of its own: the
    // overflow pool (the WarmPoolHandler's slots are the same number, so a request reaching it finds a connection or one
    // it may open; with an open rate the handler sets the connect callback, the warm pool has none, to count the overflow
    // connections), and the HTTP/2 pool of the per-request hop.
    private static SocketsHttpHandler CopyOf(SocketsHttpHandler warm, int maxConnections) => new()
    {
        MaxConnectionsPerServer = maxConnections,
        UseProxy = warm.UseProxy,
        Proxy = warm.Proxy,
        AllowAutoRedirect = warm.AllowAutoRedirect,
        AutomaticDecompression = warm.AutomaticDecompression,
        UseCookies = warm.UseCookies,
        ConnectTimeout = warm.ConnectTimeout,
        SslOptions = warm.SslOptions,
        PooledConnectionIdleTimeout = warm.PooledConnectionIdleTimeout,
        PooledConnectionLifetime = warm.PooledConnectionLifetime,
        ActivityHeadersPropagator = warm.ActivityHeadersPropagator,
        EnableMultipleHttp2Connections = warm.EnableMultipleHttp2Connections,
        MaxResponseHeadersLength = warm.MaxResponseHeadersLength,
        RequestHeaderEncodingSelector = warm.RequestHeaderEncodingSelector,
        ResponseHeaderEncodingSelector = warm.ResponseHeaderEncodingSelector,
        ConnectCallback = warm.ConnectCallback,
    };

    private static ILogger<ForwarderHttpClientFactory> CreateLogger(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        return loggerFactory.CreateLogger<ForwarderHttpClientFactory>();
    }
}
