// Constitutional Hash: cdd01ef066bc6cf2

using System.Reflection;
using Prometheus;

namespace Acgs.Sidecar.Telemetry;

/// <summary>
/// The sidecar's Prometheus registry and its request, hash and config collectors. One instance per
/// host (a DI singleton), so two sidecars in one process — as in tests — never share counters; the
/// admin <c>/metrics</c> serves <see cref="Registry"/>. The feature metrics (<see cref="Resilience.BreakerMetrics"/>,
/// <c>ResilienceMetrics</c>, <c>FaultMetrics</c>, <c>TransparentMetrics</c>, <c>BusMetrics</c>) create
/// their collectors through <see cref="Factory"/>. Labelled children are created once and cached by
/// the callers (see <see cref="ClusterTelemetry"/>, <see cref="HashMetrics"/>), so recording never
/// allocates.
/// </summary>
internal sealed class SidecarMetrics
{
    /// <summary>Creates a registry of its own and the collectors in it.</summary>
    public SidecarMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        Factory = Metrics.WithCustomRegistry(Registry);

        // No exemplar unless one is given: prometheus-net's default reads Activity.Current on every increment and
        // observation. The request-latency histograms are given the sampled span's ids (RequestTelemetryMiddleware).
        Factory.ExemplarBehavior = new ExemplarBehavior { DefaultExemplarProvider = null };
        Requests = Factory.CreateCounter(
            "acgs_requests_total",
            "Requests handled by the sidecar's inbound and outbound listeners.",
            new CounterConfiguration { LabelNames = ["listener", "cluster", "code"] });
        RequestDuration = Factory.CreateHistogram(
            "acgs_request_duration_seconds",
            "Time from request arrival to response completion, by listener.",
            new HistogramConfiguration
            {
                LabelNames = ["listener"],
                Buckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
            });
        ClusterRequestDuration = Factory.CreateHistogram(
            "acgs_cluster_request_duration_seconds",
            "Time from request arrival to response completion, by listener and upstream cluster (none when no route matched).",
            new HistogramConfiguration
            {
                LabelNames = ["listener", "cluster"],
                Buckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
            });
        HashRejections = Factory.CreateCounter(
            "acgs_hash_rejections_total",
            "Requests rejected with 403 because of their constitutional hash, by listener and reason.",
            new CounterConfiguration { LabelNames = ["listener", "reason"] });
        HashAuditFailures = Factory.CreateCounter(
            "acgs_hash_audit_failures_total",
            "Requests with an invalid constitutional hash let through because the hash mode is audit, by listener and reason.",
            new CounterConfiguration { LabelNames = ["listener", "reason"] });
        HashStamped = Factory.CreateCounter(
            "acgs_hash_stamped_total",
            "Outbound requests that lacked the constitutional hash header and were stamped with the primary hash.");
        ConfigRejections = Factory.CreateCounter(
            "acgs_config_rejections_total",
            "Config snapshots refused because they were invalid; the previous snapshot stays active.");
        ConfigApplies = Factory.CreateCounter(
            "acgs_config_applies_total",
            "Config snapshots accepted and applied.");
        BuildInfo = Factory.CreateGauge(
            "acgs_build_info",
            "Build information of the sidecar; always 1.",
            new GaugeConfiguration { LabelNames = ["version"] });
        BuildInfo.WithLabels(Version).Set(1);
    }

    /// <summary>The sidecar's informational version.</summary>
    public static string Version { get; } =
        typeof(SidecarMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>The registry the admin <c>/metrics</c> serves.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Creates collectors in <see cref="Registry"/>.</summary>
    public IMetricFactory Factory { get; }

    /// <summary><c>acgs_requests_total{listener,cluster,code}</c> (cluster <c>none</c> when no route matched).</summary>
    public Counter Requests { get; }

    /// <summary><c>acgs_request_duration_seconds{listener}</c>.</summary>
    public Histogram RequestDuration { get; }

    /// <summary><c>acgs_cluster_request_duration_seconds{listener,cluster}</c>: the same per upstream cluster.</summary>
    public Histogram ClusterRequestDuration { get; }

    /// <summary><c>acgs_hash_rejections_total{listener,reason}</c>: refused (enforce mode) for their constitutional hash.</summary>
    public Counter HashRejections { get; }

    /// <summary><c>acgs_hash_audit_failures_total{listener,reason}</c>: an invalid hash let through in audit mode.</summary>
    public Counter HashAuditFailures { get; }

    /// <summary><c>acgs_hash_stamped_total</c>: outbound requests stamped with the primary hash.</summary>
    public Counter HashStamped { get; }

    /// <summary><c>acgs_config_rejections_total</c>: snapshots refused (invalid file on reload, invalid snapshot).</summary>
    public Counter ConfigRejections { get; }

    /// <summary><c>acgs_config_applies_total</c>: snapshots applied.</summary>
    public Counter ConfigApplies { get; }

    /// <summary><c>acgs_build_info{version}</c>, always 1.</summary>
    public Gauge BuildInfo { get; }
}
