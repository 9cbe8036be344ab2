// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Acgs.Contracts.Config;
using Acgs.Core.CircuitBreaker;
using Acgs.Sidecar.Inbound;
using Acgs.Sidecar.Outbound;
using Acgs.Sidecar.Faults;
using Acgs.Sidecar.Resilience;
using Acgs.Sidecar.TrafficSplit;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using YarpCluster = Yarp.ReverseProxy.Configuration.ClusterConfig;

namespace Acgs.Sidecar.Config;

/// <summary>
/// Compiles a validated <see cref="ConfigSnapshot"/> into YARP routes and clusters plus the
/// per-cluster resilience settings, breaker overrides and fault rules. Runs once per applied snapshot.
/// Outbound routes match Host — in every Kubernetes DNS form of a service name (<see cref="OutboundHostTable"/>) — and, with <c>path_prefix</c>, the path (<c>/prefix/{**rest}</c>: the prefix
/// itself and everything under it; more specific templates win). A route with <c>weighted_clusters</c>
/// becomes one YARP route per cluster of positive weight, all with the same match and
/// <see cref="TrafficSplitMetadata"/>, resolved per request by <see cref="TrafficSplitMatcherPolicy"/>;
/// when the split policy is not registered (<c>splitEnabled</c> false in <see cref="Build"/>)
/// the route goes to its primary <c>cluster</c> only.
/// </summary>
internal static class ProxyConfigBuilder
{
    /// <summary>Route metadata key naming the listener a route serves.</summary>
    public const string ListenerMetadataKey = "acgs.listener";

    private static readonly ForwarderRequestConfig RequestConfig = new()
    {
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
    };

    // Meshed clusters with ACGS_MTLS_HOP_PROTOCOL=h2: HTTP/2 when the peer's ALPN agrees, else HTTP/1.1. With auto (the
    // default) they keep RequestConfig and MeshHopTransform raises an HTTP/2 request's version to this one.
    private static readonly ForwarderRequestConfig MeshHttp2Config = new()
    {
        Version = HttpVersion.Version20,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
    };

    /// <summary>The transforms of every route the sidecar builds (the original Host kept); compared by reference by the direct path.</summary>
    internal static readonly IReadOnlyList<IReadOnlyDictionary<string, string>> SidecarTransforms =
    [
        new Dictionary<string, string>(StringComparer.Ordinal) { ["RequestHeaderOriginalHost"] = "true" },
    ];

    /// <summary>The compiled config.</summary>
    public sealed record Result(
        IReadOnlyList<RouteConfig> Routes,
        IReadOnlyList<YarpCluster> Clusters,
        FrozenDictionary<string, ClusterResilience> Resilience,
        IReadOnlyDictionary<string, CircuitBreakerOptions> BreakerOverrides,
        IReadOnlyList<string> Errors)
    {
        /// <summary>The compiled fault rules, or null when the snapshot has none.</summary>
        public FaultRuleSet? Faults { get; init; }
    }

    /// <summary>
    /// Compiles <paramref name="snapshot"/>; <paramref name="previous"/> lets unchanged settings keep their instances;
    /// <paramref name="splitEnabled"/> says whether <see cref="TrafficSplitMatcherPolicy"/> is registered; with
    /// <paramref name="mutualTls"/>, clusters with an <c>identity</c> are called over mutual TLS (https, metadata
    /// <see cref="IdentityMetadataKey"/> for the forwarder's client factory).
    /// </summary>
    public static Result Build(ConfigSnapshot snapshot, SidecarOptions options, FrozenDictionary<string, ClusterResilience>? previous, bool splitEnabled = true,
        bool mutualTls = false)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var routes = new List<RouteConfig>();
        var clusters = new List<YarpCluster>();
        var resilience = new Dictionary<string, ClusterResilience>(StringComparer.Ordinal);
        var overrides = new Dictionary<string, CircuitBreakerOptions>(StringComparer.Ordinal);

        var inboundId = InboundCluster.IdFor(snapshot.ServiceName);
        clusters.Add(Cluster(inboundId, [AppAddress(options)]));
        routes.Add(new RouteConfig
        {
            RouteId = InboundCluster.RouteId,
            ClusterId = inboundId,
            Match = new RouteMatch { Path = "{**catch-all}" },
            Metadata = new Dictionary<string, string>(StringComparer.Ordinal) { [ListenerMetadataKey] = "inbound" },
            Transforms = SidecarTransforms,
        });
        var inbound = snapshot.Inbound;
        AddResilience(inboundId, "inbound", inbound.Breaker, inbound.TimeoutSeconds, inbound.Retry, inbound.FailureStatuses, resilience, overrides, previous, errors);

        foreach (var (name, cluster) in snapshot.Clusters)
        {
            var addresses = new List<string>(cluster.Destinations.Length);
            var meshed = mutualTls && cluster.Identity is not null;
            foreach (var destination in cluster.Destinations)
            {
                _ = ConfigSnapshotValidator.TryParseDestination(destination, out var uri);
                addresses.Add(meshed && uri!.Scheme == Uri.UriSchemeHttp ? "https" + uri.AbsoluteUri[4..] : uri!.AbsoluteUri);
            }

            var yarpCluster = Cluster(name, addresses);
            clusters.Add(meshed
                ? yarpCluster with
                {
                    Metadata = new Dictionary<string, string>(StringComparer.Ordinal) { [IdentityMetadataKey] = cluster.Identity! },
                    HttpRequest = options.MeshHop == MeshHopProtocol.H2 ? MeshHttp2Config : RequestConfig,
                    // The HTTP/1.1 pool's bound; the HTTP/2 hop multiplexes and has none (auto gives it a pool of its own).
                    HttpClient = options.MeshHop != MeshHopProtocol.H2 && options.MeshMaxConnections > 0
                        ? new HttpClientConfig { MaxConnectionsPerServer = options.MeshMaxConnections }
                        : null,
                }
                : yarpCluster);
            AddResilience(name, "clusters." + name, cluster.Breaker, cluster.TimeoutSeconds, cluster.Retry, cluster.FailureStatuses, resilience, overrides, previous, errors);
        }

        var hosts = OutboundHostTable.Build(snapshot.Routes, options.Namespace, options.ClusterDomain);
        for (var i = 0; i < snapshot.Routes.Length; i++)
        {
            AddOutboundRoute(routes, i, snapshot.Routes[i], hosts[i], splitEnabled);
        }

        return new Result(routes, clusters, resilience.ToFrozenDictionary(StringComparer.Ordinal), overrides, errors) { Faults = FaultRuleSet.From(snapshot) };
    }

    /// <summary>Cluster metadata key: the SPIFFE ID an mTLS cluster's destinations must prove.</summary>
    public const string IdentityMetadataKey = "acgs.identity";

    /// <summary>The YARP path template of a route prefix: <c>{**catch-all}</c>, or <c>/prefix/{**catch-all}</c> (braces escaped).</summary>
    public static string PathTemplate(string? prefix)
    {
        if (prefix is null)
        {
            return "{**catch-all}";
        }

        var trimmed = prefix.TrimEnd('/');
        return trimmed.Length == 0
            ? "{**catch-all}"
            : trimmed.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal) + "/{**catch-all}";
    }

    private static void AddOutboundRoute(List<RouteConfig> routes, int index, OutboundRoute route, string[] hosts, bool splitEnabled)
    {
        var match = new RouteMatch { Path = PathTemplate(route.PathPrefix), Hosts = hosts };
        var id = OutboundRoutes.RouteIdFor(index, route.Host);
        var shares = 0;
        foreach (var weighted in route.WeightedClusters)
        {
            shares += weighted.Weight > 0 ? 1 : 0;
        }

        if (!splitEnabled || shares < 2)
        {
            var cluster = route.Cluster;
            if (splitEnabled && shares == 1)
            {
                foreach (var weighted in route.WeightedClusters)
                {
                    cluster = weighted.Weight > 0 ? weighted.Cluster : cluster;
                }
            }

            routes.Add(OutboundRoute(id, cluster, match, null));
            return;
        }

        for (var share = 0; share < route.WeightedClusters.Length; share++)
        {
            var weighted = route.WeightedClusters[share];
            if (weighted.Weight > 0)
            {
                routes.Add(OutboundRoute(id + "#" + weighted.Cluster, weighted.Cluster, match, TrafficSplitMetadata.Format(index, share, weighted.Weight)));
            }
        }
    }

    private static RouteConfig OutboundRoute(string id, string cluster, RouteMatch match, string? split)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { [ListenerMetadataKey] = "outbound" };
        if (split is not null)
        {
            metadata[TrafficSplitMetadata.Key] = split;
        }

        return new RouteConfig { RouteId = id, ClusterId = cluster, Match = match, Metadata = metadata, Transforms = SidecarTransforms };
    }

    /// <summary>The local app's address from the sidecar options.</summary>
    public static string AppAddress(SidecarOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var host = IPAddress.TryParse(options.AppHost, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6
            ? "[" + options.AppHost + "]"
            : options.AppHost;
        return "http://" + host + ":" + options.AppPort.ToString(CultureInfo.InvariantCulture) + "/";
    }

    private static YarpCluster Cluster(string id, List<string> addresses)
    {
        var destinations = new Dictionary<string, DestinationConfig>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < addresses.Count; i++)
        {
            destinations["d" + i.ToString(CultureInfo.InvariantCulture)] = new DestinationConfig { Address = addresses[i] };
        }

        return new YarpCluster { ClusterId = id, Destinations = destinations, HttpRequest = RequestConfig };
    }

    private static void AddResilience(
        string clusterId,
        string path,
        BreakerSettings? breaker,
        double? timeoutSeconds,
        RetryPolicy? retry,
        ImmutableArray<int> failureStatuses,
        Dictionary<string, ClusterResilience> resilience,
        Dictionary<string, CircuitBreakerOptions> overrides,
        FrozenDictionary<string, ClusterResilience>? previous,
        List<string> errors)
    {
        var seed = ServiceBreakerDefaults.For(clusterId);
        var breakerOptions = breaker is null ? seed : breaker.ToOptions(seed);
        if (breaker is not null)
        {
            overrides[clusterId] = breakerOptions;
        }

        var settings = new ClusterResilience(
            breakerOptions,
            timeoutSeconds is { } t ? TimeSpan.FromSeconds(t) : null,
            retry is null ? RetrySettings.Disabled : ToRetrySettings(retry))
        {
            FailureStatuses = failureStatuses.IsDefaultOrEmpty ? StatusCodeSet.GatewayErrors : StatusCodeSet.Of(failureStatuses.AsSpan()),
        };
        foreach (var error in settings.Validate())
        {
            errors.Add(path + ": " + error);
        }

        // Keep the previous instance when nothing changed: the handler re-applies breaker settings on a new instance.
        resilience[clusterId] = previous is not null && previous.TryGetValue(clusterId, out var old) && old.Equals(settings) ? old : settings;
    }

    private static RetrySettings ToRetrySettings(RetryPolicy retry)
    {
        var defaults = RetrySettings.Disabled;
        return new RetrySettings
        {
            MaxAttempts = retry.MaxAttempts ?? 1,
            PerTryTimeout = retry.PerTryTimeoutSeconds is { } perTry ? TimeSpan.FromSeconds(perTry) : null,
            RetryOnStatuses = retry.RetryOnStatuses.IsDefaultOrEmpty ? StatusCodeSet.GatewayErrors : StatusCodeSet.Of(retry.RetryOnStatuses.AsSpan()),
            BackoffBase = retry.BackoffBaseMs is { } b ? TimeSpan.FromMilliseconds(b) : defaults.BackoffBase,
            BackoffMax = retry.BackoffMaxMs is { } m ? TimeSpan.FromMilliseconds(m) : TimeSpan.FromMilliseconds(Math.Max(defaults.BackoffMax.TotalMilliseconds, retry.BackoffBaseMs ?? 0)),
            BudgetRatio = retry.BudgetRatio ?? defaults.BudgetRatio,
            BudgetMinRetriesPerSecond = retry.BudgetMinRetriesPerSecond ?? defaults.BudgetMinRetriesPerSecond,
            BudgetWindow = retry.BudgetWindowSeconds is { } w ? TimeSpan.FromSeconds(w) : defaults.BudgetWindow,
        };
    }
}
