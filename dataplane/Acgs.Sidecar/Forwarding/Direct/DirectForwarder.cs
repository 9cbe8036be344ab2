// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Net;
using System.Numerics;
using System.Runtime.CompilerServices;
using Acgs.Sidecar.Resilience;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Acgs.Sidecar.Forwarding.Direct;

/// <summary>
/// The sidecar's own HTTP/1.1 forwarding path for the common case (<c>ACGS_DIRECT_FORWARD</c>, docs/performance.md):
/// the last step of YARP's proxy pipeline, after load balancing chose the destination. An eligible request is sent
/// over a pooled keep-alive connection of <see cref="DirectPool"/> with the cluster's breaker and timeout
/// (<see cref="ClusterResilienceHandler"/>), the response copied back without HttpClient's or the forwarder's
/// per-request objects; any other request goes to YARP's forwarder unchanged.
/// </summary>
/// <remarks>
/// Eligible: an HTTP/1.x request without <c>Upgrade</c>, <c>Expect</c>, <c>TE</c>, <c>Transfer-Encoding</c>, a
/// <c>Connection</c> header naming other headers, or a path base; no body or a <c>Content-Length</c> body within the
/// listener's limit; while tracing is off, no current <see cref="Activity"/> (HttpClient's propagator would write it
/// into the request); a route with the sidecar's own
/// transforms; a cluster of one plaintext destination with the sidecar's HTTP/1.1 request config, no client options,
/// no identity, no passive health checks, no session affinity and no retries. Decided per cluster and destination when their models
/// change (cached per model), per request only from the request itself. While tracing is on a traced request is
/// eligible too: on YARP's path its cluster client has no propagator and a <see cref="Tracing.ClientSpanHandler"/>,
/// whose span, tags and trace headers <see cref="DirectClientSpan"/> and <see cref="Http1RequestWriter"/> reproduce.
/// </remarks>
internal sealed partial class DirectForwarder : IDisposable
{
    private static readonly TimeSpan DefaultActivityTimeout = TimeSpan.FromSeconds(100);
    private static readonly DirectCluster Ineligible = new(null, TimeSpan.Zero);

    private readonly ConditionalWeakTable<ClusterModel, DirectCluster> _clusters = [];
    private readonly ConditionalWeakTable<DestinationModel, DirectPool> _destinations = [];
    private readonly Dictionary<string, DirectPool> _pools = new(StringComparer.Ordinal);
    private readonly Lock _poolsLock = new();
    private readonly ResilienceForwarderHttpClientFactory? _factory;
    private readonly TimeProvider _time;
    private readonly TimeSpan _idleTimeout;
    private readonly bool _xForwarded;
    private readonly bool _clientSpans;
    private readonly ITimer _scavenger;
    // Requests forwarded, one counter per core (a cache line apart: Stride longs), summed when read.
    private const int Stride = 8;
    private readonly long[] _forwarded = new long[(int)BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount) * Stride];

    /// <summary>Creates the forwarder.</summary>
    public DirectForwarder(IForwarderHttpClientFactory factory, TimeProvider time, Hosting.ListenerLimits limits, Config.SidecarOptions options)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(options);
        _factory = factory as ResilienceForwarderHttpClientFactory;
        _time = time;
        _idleTimeout = limits.UpstreamIdleTimeout;
        _xForwarded = options.XForwarded;
        _clientSpans = _factory?.ClientSpans == true;
        _scavenger = time.CreateTimer(static state => ((DirectForwarder)state!).Scavenge(), this, _idleTimeout, _idleTimeout);
    }

    /// <summary>The activity timeout of a cluster whose request config sets none (YARP's default; tests shorten it).</summary>
    internal TimeSpan DefaultActivity { get; set; } = DefaultActivityTimeout;

    /// <summary>Requests this path forwarded (diagnostics and tests).</summary>
    public long Forwarded
    {
        get
        {
            long total = 0;
            for (var i = 0; i < _forwarded.Length; i += Stride)
            {
                total += Interlocked.Read(ref _forwarded[i]);
            }

            return total;
        }
    }

    /// <summary>Connections this path opened (diagnostics and tests).</summary>
    public long ConnectionsOpened
    {
        get
        {
            long total = 0;
            lock (_poolsLock)
            {
                foreach (var pool in _pools.Values)
                {
                    total += Interlocked.Read(ref pool.Opened);
                }
            }

            return total;
        }
    }

    /// <summary>The proxy step: forwards <paramref name="context"/> itself when eligible, else calls <paramref name="next"/> (YARP's forwarder).</summary>
    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var feature = context.Features.Get<IReverseProxyFeature>();
        if (feature is null || feature.AvailableDestinations.Count != 1 || !ReferenceEquals(feature.Route.Config.Transforms, Config.ProxyConfigBuilder.SidecarTransforms))
        {
            return next(context);
        }

        var cluster = ClusterFor(feature.Cluster);
        var handler = cluster.Handler;
        var destination = feature.AvailableDestinations[0];
        if (handler is null || destination.Model is not { } model || PoolFor(model) is not { } pool || !RequestEligible(context, _clientSpans))
        {
            return next(context);
        }

        var applied = handler.DirectSettings();
        if (applied.Retry.Enabled)
        {
            return next(context);
        }

        // A recorded span of the sidecar's (tracing on): the exchange gets a client span whose context replaces the caller's.
        var parent = Activity.Current;
        var traced = _clientSpans && DirectClientSpan.Applies(parent);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(2048);
        if (!Http1RequestWriter.TryWrite(context, pool.BasePath, _xForwarded, traced, ref buffer, out var length)
            || (traced && !Http1RequestWriter.TryReserveTraceContext(parent!.TraceStateString, ref buffer, length)))
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            return next(context);
        }

        feature.ProxiedDestination = destination;
        Interlocked.Increment(ref _forwarded[(Thread.GetCurrentProcessorId() * Stride) & (_forwarded.Length - 1)]); // uncontended: this core's counter
        var forwarding = ForwardAsync(context, handler, applied, cluster.ActivityTimeout, pool, buffer, length, traced ? parent : null);
        return forwarding.IsCompletedSuccessfully ? Task.CompletedTask : forwarding.AsTask(); // the frame is pooled; only a small task when it waits
    }

    private static bool RequestEligible(HttpContext context, bool clientSpans)
    {
        var request = context.Request;
        var protocol = request.Protocol;
        if (!(HttpProtocol.IsHttp11(protocol) || HttpProtocol.IsHttp10(protocol)) || (!clientSpans && Activity.Current is not null) || request.PathBase.HasValue)
        {
            return false;
        }

        var headers = request.Headers;
        if (headers.Upgrade.Count != 0 || headers.Expect.Count != 0 || headers.TE.Count != 0 || headers.TransferEncoding.Count != 0
            || !Http1RequestWriter.PlainConnectionHeader(headers.Connection))
        {
            return false;
        }

        if (request.ContentLength is { } contentLength)
        {
            var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
            return limit is null || contentLength <= limit;
        }

        return true;
    }

    private DirectCluster ClusterFor(ClusterModel cluster)
    {
        if (_clusters.TryGetValue(cluster, out var known))
        {
            return known;
        }

        var built = Build(cluster);
        _clusters.AddOrUpdate(cluster, built);
        return built;
    }

    private DirectCluster Build(ClusterModel cluster)
    {
        var config = cluster.Config;
        var request = config.HttpRequest;
        var client = config.HttpClient;
        if (_factory?.HandlerFor(config.ClusterId) is not { } handler
            || request is null || request.Version != HttpVersion.Version11 || request.VersionPolicy != System.Net.Http.HttpVersionPolicy.RequestVersionOrLower
            || (client is not null && (client.MaxConnectionsPerServer is not null || client.RequestHeaderEncoding is not null
                || client.ResponseHeaderEncoding is not null || client.WebProxy is not null))
            || (config.Metadata is { } metadata && metadata.ContainsKey(Config.ProxyConfigBuilder.IdentityMetadataKey))
            || config.HealthCheck?.Passive?.Enabled == true
            || config.SessionAffinity?.Enabled == true // its cookie is a response transform of YARP's
            || config.Destinations is not { Count: 1 })
        {
            return Ineligible;
        }

        return new DirectCluster(handler, request.ActivityTimeout ?? DefaultActivity);
    }

    private DirectPool? PoolFor(DestinationModel destination)
    {
        if (_destinations.TryGetValue(destination, out var known))
        {
            return known.Usable ? known : null;
        }

        var address = destination.Config.Address;
        DirectPool pool;
        if (destination.Config.Host is not null || !Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            pool = DirectPool.Unusable;
        }
        else
        {
            lock (_poolsLock)
            {
                if (!_pools.TryGetValue(address, out pool!))
                {
                    pool = new DirectPool(uri, _time, _idleTimeout);
                    _pools[address] = pool;
                }
            }
        }

        _destinations.AddOrUpdate(destination, pool);
        return pool.Usable ? pool : null;
    }

    private void Scavenge()
    {
        lock (_poolsLock)
        {
            foreach (var pool in _pools.Values)
            {
                pool.Scavenge();
            }
        }
    }

    /// <summary>Closes the idle connections and stops the scavenger.</summary>
    public void Dispose()
    {
        _scavenger.Dispose();
        lock (_poolsLock)
        {
            foreach (var pool in _pools.Values)
            {
                pool.Clear();
            }
        }
    }

    private sealed class DirectCluster(ClusterResilienceHandler? handler, TimeSpan activityTimeout)
    {
        public ClusterResilienceHandler? Handler { get; } = handler;

        public TimeSpan ActivityTimeout { get; } = activityTimeout;
    }
}
